"""The list page's GET form: shape only; the catalogue's selectors judge meaning."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dpghub.catalog.enums import Facet
from dpghub.catalog.selectors import MAX_QUERY_LENGTH, GoodFilters, query_text_clean, stages_asked

FACET_NAMES: tuple[str, ...] = tuple(facet.value for facet in Facet)


class MultiValueField(forms.Field):
    """A repeatable GET parameter (?sdg=3&sdg=4), cleaned to a tuple of non-empty strings."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        values = value or []
        if isinstance(values, str):
            values = [values]
        return tuple(dict.fromkeys(item.strip() for item in values if item and item.strip()))


class QueryTextField(forms.CharField):
    """Search text with control characters (NUL included) removed before anything else looks at it."""

    def to_python(self, value):
        return query_text_clean(super().to_python(value))


SORT_CHOICES = (
    ("relevance", _("Relevance")),
    ("name", _("Name, A to Z")),
    ("-name", _("Name, Z to A")),
    ("updated", _("Recently updated")),
)


class GoodsQueryForm(forms.Form):
    # Length and meaning are judged by the catalogue's selectors (the same messages as the API);
    # the page echoes at most MAX_QUERY_LENGTH characters of the text, control characters removed.
    q = QueryTextField(required=False, label=_("Search"))
    exact = forms.BooleanField(required=False)
    sort = forms.CharField(required=False, label=_("Sort by"))  # the selectors check it
    page = forms.IntegerField(required=False, min_value=1, label=_("Page"))
    expand = forms.ChoiceField(required=False, choices=[(name, name) for name in FACET_NAMES])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in FACET_NAMES:
            self.fields[name] = MultiValueField(required=False, label=Facet(name).label)

    def q_shown(self) -> str:
        """The search text as the page may echo it: no control characters, at most MAX_QUERY_LENGTH long."""
        return query_text_clean(self.data.get("q", "") or "")[:MAX_QUERY_LENGTH]

    def filters(self) -> GoodFilters:
        data = self.cleaned_data
        values = {name: data[name] for name in FACET_NAMES}
        values["stage"] = stages_asked(values["stage"])
        return GoodFilters(q=data["q"], exact=bool(data.get("exact")), **values)

    def sort_key(self) -> str:
        return self.cleaned_data["sort"] or "relevance"

    def page_number(self) -> int:
        return self.cleaned_data["page"] or 1
