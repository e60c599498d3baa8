"""The registry's pages. Thin: parse the GET form, call the catalogue's selectors, render."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dpghub.catalog import presenters
from dpghub.catalog.enums import (
    AssessmentSource,
    CountryRole,
    Facet,
    IndicatorStatus,
    OrganisationRole,
    Stage,
)
from dpghub.catalog.errors import InvalidQuery
from dpghub.catalog.facet_index import STAGE_ORDER
from dpghub.catalog.selectors import (
    ALL_STAGES,
    DEFAULT_STAGES,
    GoodFilters,
    GoodPage,
    good_get,
    goods_alternatives,
    goods_search,
)
from dpghub.common.errors import Conflict, InvalidInput
from dpghub.common.history import Actor
from dpghub.common.selectors import history_of
from dpghub.screening.selectors import screening_good_get, screening_overview, screening_runs_of
from dpghub.screening.services import PERMISSION as SCREENING_PERMISSION
from dpghub.screening.services import screening_request
from dpghub.web import labels
from dpghub.web.charter import good_pledges
from dpghub.web.forms import FACET_NAMES, SORT_CHOICES, GoodsQueryForm
from dpghub.web.screening import screening_view
from dpghub.web.structured import good_json_ld, json_ld_script

#: Facet values shown before "Show all"; keeps the first view small (selected values always show).
FACET_VALUES_SHOWN = 8
#: Facets open on first view; the others are collapsed unless a value is selected.
FACETS_OPEN = (Facet.CATEGORY, Facet.STAGE)


@dataclass
class FacetValueView:
    value: str
    label: str
    count: int
    checked: bool


@dataclass
class FacetView:
    name: str
    legend: str
    values: list[FacetValueView]
    hidden: int = 0
    selected: int = 0
    is_open: bool = False


def _facet_views(page: GoodPage | None, form: GoodsQueryForm, expand: str,
                 filters: GoodFilters | None = None) -> list[FacetView]:
    chosen = {name: set(form.cleaned_data.get(name, ())) for name in FACET_NAMES} if form.is_valid() else {}
    if filters is not None:
        # The stages in effect (the default when none is asked; none when every stage is).
        chosen[Facet.STAGE] = set(filters.stage)
        chosen[Facet.DEVELOPMENT_COUNTRY] = set(filters.development_country)
        chosen[Facet.DEPLOYMENT_COUNTRY] = set(filters.deployment_country)
    out = []
    for name in FACET_NAMES:
        counts = page.facets.get(name, []) if page else []
        selected = chosen.get(name, set())
        values = [FacetValueView(value, labels.facet_label(name, value), count, value in selected)
                  for value, count in counts]
        if name == Facet.STAGE:
            # Stages in the catalogue's order (DPGs first), then "any stage".
            rank = {stage: position for position, stage in enumerate(STAGE_ORDER)}
            values.sort(key=lambda item: rank.get(item.value, len(rank)))
            if page:
                values.append(FacetValueView(ALL_STAGES, _("Any stage"), sum(v.count for v in values),
                                             not selected))
        # Keep a selected value visible (with 0) even when nothing matches it any more.
        present = {item.value for item in values}
        values += [FacetValueView(value, labels.facet_label(name, value), 0, True)
                   for value in sorted(selected - present)]
        hidden = 0
        if name != expand and len(values) > FACET_VALUES_SHOWN:
            shown = values[:FACET_VALUES_SHOWN] + [v for v in values[FACET_VALUES_SHOWN:] if v.checked]
            hidden = len(values) - len(shown)
            values = shown
        out.append(FacetView(name=name, legend=str(Facet(name).label), values=values, hidden=hidden,
                             selected=len(selected), is_open=bool(selected) or name in FACETS_OPEN
                             or name == expand))
    return out


@dataclass
class StageLink:
    label: str
    count: int
    url: str


def _list_url(request: HttpRequest, **changes: list[str] | None) -> str:
    """This list's URL with some parameters replaced (a list) or removed (None); paging reset."""
    params = request.GET.copy()
    for key in ("page", "expand", *changes):
        params.pop(key, None)
    for key, values in changes.items():
        if values is not None:
            params.setlist(key, values)
    query = params.urlencode()
    return reverse("web:goods-list") + (f"?{query}" if query else "")


def _stage_links(request: HttpRequest, page: GoodPage, filters: GoodFilters) -> list[StageLink]:
    """One link per stage not shown now that has goods in these results (its count, what adding it
    to the list gives), then one for every stage: nominees are one click away, archived and excluded
    goods shown when asked, their numbers always visible."""
    counts = dict(page.facets.get(Facet.STAGE, []))
    if not filters.stage:
        return []
    links = [StageLink(str(Stage(stage).label), counts[stage], _list_url(request, stage=[*filters.stage, stage]))
             for stage in STAGE_ORDER if stage not in filters.stage and counts.get(stage)]
    if links:
        links.append(StageLink(_("All stages"), sum(counts.values()), _list_url(request, stage=[ALL_STAGES])))
    return links


def _page_numbers(current: int, last: int) -> list[int | None]:
    """1 … 4 5 [6] 7 8 … 20: None marks a gap."""
    wanted = {1, last, *range(current - 2, current + 3)}
    numbers: list[int | None] = []
    for number in sorted(n for n in wanted if 1 <= n <= last):
        if numbers and numbers[-1] is not None and number - numbers[-1] > 1:
            numbers.append(None)
        numbers.append(number)
    return numbers


def _api_query(request: HttpRequest) -> str:
    params = [(key, value) for key, values in request.GET.lists() if key != "expand" for value in values]
    return urlencode(params)


def goods_list(request: HttpRequest) -> HttpResponse:
    """The list: recognised DPGs unless other stages are asked for; bad parameters answer 400 with
    the catalogue's message (the one the API gives, translated)."""
    form = GoodsQueryForm(request.GET)
    page: GoodPage | None = None
    filters: GoodFilters | None = None
    error = ""
    status = 200
    if form.is_valid():
        filters = form.filters()
        try:
            page = goods_search(filters=filters, sort=form.sort_key(), page=form.page_number(),
                                page_size=settings.DPGHUB_PAGE_SIZE)
        except InvalidQuery as exc:
            error, status = exc.message, 400
    else:
        error, status = _("Some of the search options are not valid; see below."), 400
    facet_page = page
    alternatives: list[tuple[str, str]] = []
    widen_url = ""
    if page is not None and filters is not None and page.total == 0 and filters.q:
        # Never a dead end: near spellings that find goods, the same text without the filters, and
        # the filters counted without the text.
        if page.text_matches:
            widen_url = _list_url(request, stage=[ALL_STAGES], **{name: None for name in FACET_NAMES
                                                                   if name != Facet.STAGE})
        else:
            alternatives = [(text, _list_url(request, q=[text], exact=None))
                            for text in goods_alternatives(filters=filters)]
        facet_page = goods_search(filters=replace(filters, q=""), page_size=1)
    query = _api_query(request)
    context = {
        "form": form,
        "q_shown": form.q_shown(),
        "sort_choices": SORT_CHOICES,
        "sort_value": form.cleaned_data.get("sort") or "relevance" if form.is_valid() else "relevance",
        "page": page,
        "error": error,
        "facets": _facet_views(facet_page, form, form.cleaned_data.get("expand", "") if form.is_valid() else "",
                               filters),
        "facets_without_text": facet_page is not page,
        "page_numbers": _page_numbers(page.page, page.num_pages) if page else [],
        "json_url": reverse("api-v1:goods_list") + (f"?{query}" if query else ""),
        "facets_json_url": reverse("api-v1:facets") + (f"?{query}" if query else ""),
        "has_filters": form.is_valid() and bool(request.GET),
        "stage_default": filters is not None and filters.stage == DEFAULT_STAGES,
        "stage_links": _stage_links(request, page, filters) if page and filters else [],
        "exact_url": _list_url(request, exact=["1"]) if page and page.corrected_q else "",
        "alternatives": alternatives,
        "widen_url": widen_url,
        "nav": "goods",
    }
    return render(request, "web/goods_list.html", context, status=status)


@dataclass
class IndicatorView:
    code: str
    title: str
    status: str = ""
    status_label: str = ""
    lines: list[str] = field(default_factory=list)  # the summary in plain words, translated
    answers: list[tuple[str, str]] = field(default_factory=list)  # (question, "Yes"/"No"), translated
    evidence: list[dict] = field(default_factory=list)  # text and url, no source field
    sources: list[str] = field(default_factory=list)  # the source fields, for "where this comes from"
    confidence: int | None = None


def _indicator_title(code: str) -> str:
    return _(presenters.indicator_title(code))


def _plain(line: presenters.PlainLine) -> str:
    return _(line.text) % line.params if line.params else _(line.text)


def _indicator_views(assessment) -> list[IndicatorView]:
    views = []
    for row in presenters.assessment_indicators(assessment):
        view = IndicatorView(code=row.code, title=_(row.title))
        if row.result is not None:
            view.status = row.result.status
            view.status_label = labels.choice_label(IndicatorStatus, row.result.status)
            for line in presenters.plain_summary(row.result.summary):
                if line.question:
                    view.answers.append((_(line.question), _("Yes") if line.yes else _("No")))
                else:
                    view.lines.append(_plain(line))
            view.evidence = presenters.plain_evidence(row.evidence)
            view.sources = list(row.source_fields) + sorted(
                {item["field"] for item in row.evidence if item["field"]
                 and not any(name.endswith(": " + item["field"]) or name == item["field"] for name in row.source_fields)})
            view.confidence = row.result.confidence
        views.append(view)
    return views


def _tally(views: list[IndicatorView]) -> list[tuple[str, int]]:
    """(status label, number of indicators) in the order statuses first appear; unrecorded last."""
    counts = Counter(view.status_label for view in views if view.status)
    missing = sum(1 for view in views if not view.status)
    return list(counts.items()) + ([(_("Nothing recorded"), missing)] if missing else [])


def _status_label(status: str) -> str:
    return labels.choice_label(IndicatorStatus, status) if status else _("nothing recorded")


def _changes_view(older, newer) -> dict:
    changes = presenters.assessment_changes(older, newer)
    return {
        "is_empty": changes.is_empty,
        "version": (changes.version_before, changes.version_after)
        if changes.version_before != changes.version_after else None,
        "statuses": [{"code": c.code, "title": _(c.title), "before": _status_label(c.before),
                      "after": _status_label(c.after)} for c in changes.statuses],
        "rewritten": changes.rewritten,
    }


def _assessment_view(assessment, older=None) -> dict:
    views = _indicator_views(assessment)
    return {
        "assessment": assessment,
        "is_imported": presenters.assessment_is_imported(assessment),
        "is_crowd": assessment.source == AssessmentSource.CROWD_REVIEW,
        "indicators": views,
        "tally": _tally(views),
        "has_sources": any(view.sources for view in views) or assessment.provenance_id is not None,
        "changes": _changes_view(older, assessment) if older is not None else None,
    }


def _assessment_views(good) -> tuple[dict | None, list[dict], list[dict]]:
    """The current assessment, the earlier ones and the crowdsourced reviews (newest first), each
    with what changed since the one of its kind before it."""
    ordered = presenters.assessments_ordered(good)
    if ordered.current is None:
        return None, [], []
    if ordered.current.source == AssessmentSource.CROWD_REVIEW:  # only crowd reviews: the others are older
        current_older = ordered.crowd[0] if ordered.crowd else None
    else:
        current_older = ordered.previous(ordered.current)
    return (_assessment_view(ordered.current, current_older),
            [_assessment_view(a, ordered.previous(a)) for a in ordered.earlier],
            [_assessment_view(a, ordered.previous(a)) for a in ordered.crowd])


def _sdg_views(good) -> list[dict]:
    """SDG links; a relevance text repeated word for word (common in the source) is shown once."""
    out, first_with_text = [], {}
    for link in good.sdgs.all():
        text = link.relevance.strip()
        same_as = first_with_text.get(text) if text else None
        if text and same_as is None:
            first_with_text[text] = link.sdg
        out.append({"link": link, "name": labels.sdg_name(link.sdg), "same_as": same_as})
    return out


def good_detail(request: HttpRequest, slug: str) -> HttpResponse:
    good = good_get(slug=slug)  # GoodNotFound -> 404 page (dpghub.web.errors)
    countries = presenters.good_countries(good)
    current, earlier, crowd = _assessment_views(good)
    links = list(good.organisation_links.all())
    page_url = request.build_absolute_uri(reverse("web:good-detail", kwargs={"slug": good.slug}))
    context = {
        "good": good,
        "categories": [labels.facet_label(Facet.CATEGORY, code) for code in good.categories],
        "stage_label": labels.facet_label(Facet.STAGE, good.stage),
        "is_excluded": good.stage == Stage.EXCLUDED,
        "owners": [link for link in links if link.role == OrganisationRole.OWNER],
        "other_organisations": [link for link in links if link.role != OrganisationRole.OWNER],
        "sdgs": _sdg_views(good),
        "developed_in": [ref.name for ref in countries[CountryRole.DEVELOPMENT]],
        "deployed_in": [ref.name for ref in countries[CountryRole.DEPLOYMENT]],
        "current": current,
        "earlier": earlier,
        "crowd": crowd,
        "screening": screening_view(screening_overview(good=good), indicator_title=_indicator_title),
        "has_repository": bool(good.repositories.all()),
        "can_screen": request.user.is_authenticated and request.user.has_perm(SCREENING_PERMISSION),
        "json_url": reverse("api-v1:good_detail", kwargs={"id": good.slug}),
        "screening_json_url": reverse("api-v1:good_screening", kwargs={"id": good.slug}),
        "history": history_of(viewer=request.user, target=good, related=screening_runs_of(good=good), limit=50),
        "history_json_url": reverse("api-v1:good_history", kwargs={"id": good.slug}),
        "pledges": good_pledges(viewer=request.user, good=good),
        "charter_json_url": reverse("api-v1:charter_good", kwargs={"id": good.slug}),
        "json_ld": json_ld_script(good_json_ld(good, url=page_url, countries=countries)),
        "nav": "goods",
    }
    return render(request, "web/good_detail.html", context)


@require_POST
def good_screen(request: HttpRequest, slug: str) -> HttpResponse:
    """Queue a screening of the good's repository; the job runs in the background, never here."""
    good = screening_good_get(slug=slug)  # GoodNotFound -> 404, NotAllowed -> 403 (dpghub.web.errors)
    try:
        screening_request(actor=Actor.from_user(request.user), good=good)
    except (Conflict, InvalidInput) as exc:  # no repository, or one the registry does not screen
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Screening queued. It runs in the background; reload this page in a "
                                    "few minutes to see the report."))
    # Back to the top of the page, where the message shows (an anchor would scroll past it).
    return redirect("web:good-detail", slug=good.slug)
