"""The list page's GET form: shape only; the catalogue's selectors judge meaning."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dpghub.catalog.enums import Facet
from dpghub.catalog.selectors import GoodFilters

FACET_NAMES: tuple[str, ...] = tuple(facet.value for facet in Facet)


class MultiValueField(forms.Field):
    """A repeatable GET parameter (?sdg=3&sdg=4), cleaned to a tuple of non-empty strings."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        values = value or []
        if isinstance(values, str):
            values = [values]
        return tuple(dict.fromkeys(item.strip() for item in values if item and item.strip()))


SORT_CHOICES = (
    ("relevance", _("Relevance")),
    ("name", _("Name, A to Z")),
    ("-name", _("Name, Z to A")),
    ("updated", _("Recently updated")),
)


class GoodsQueryForm(forms.Form):
    q = forms.CharField(required=False, max_length=200, label=_("Search"))
    sort = forms.ChoiceField(required=False, choices=SORT_CHOICES, label=_("Sort by"))
    page = forms.IntegerField(required=False, min_value=1, label=_("Page"))
    expand = forms.ChoiceField(required=False, choices=[(name, name) for name in FACET_NAMES])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in FACET_NAMES:
            self.fields[name] = MultiValueField(required=False, label=Facet(name).label)

    def filters(self) -> GoodFilters:
        data = self.cleaned_data
        return GoodFilters(q=data["q"].strip(), **{name: data[name] for name in FACET_NAMES})

    def sort_key(self) -> str:
        return self.cleaned_data["sort"] or "relevance"

    def page_number(self) -> int:
        return self.cleaned_data["page"] or 1
