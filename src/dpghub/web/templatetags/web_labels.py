from django import template

from dpghub.catalog.enums import Facet
from dpghub.web import labels

register = template.Library()


@register.filter
def category_label(code: str) -> str:
    return labels.facet_label(Facet.CATEGORY, code)


@register.filter
def sdg_name(number: int) -> str:
    return labels.sdg_name(number)
