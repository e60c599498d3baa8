""""Find a good for our need" (a GET form: its URL saves and shares the search), its printable shortlist and CSV,
and the side-by-side comparison of up to four goods. Thin: read the query string, call the deployments
app's finder and comparison selectors, render."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dpghub.catalog.enums import Category
from dpghub.catalog.enums import Stage as GoodStage
from dpghub.core.finder import COPYLEFT_LABELS, LICENCE_CONSTRAINTS, Ranked, text_render
from dpghub.core.licensing.copyleft import Copyleft
from dpghub.core.regions import region_names
from dpghub.core.sdgs import sdg_name
from dpghub.deployments.compare import COMPARE_MAX, goods_compare, slugs_from_params
from dpghub.deployments.enums import DpiLayer, Sector, Stage
from dpghub.deployments.errors import InvalidDeployment
from dpghub.deployments.finder import FinderAnswer, InvalidNeed, finder_need, finder_search, need_query

PAGE_SIZE = 20
EVIDENCE_LABELS = {
    "registry": gettext_lazy("registry record"), "deployments": gettext_lazy("deployments"),
    "evidence": gettext_lazy("evidence"), "licence": gettext_lazy("licence file"),
    "screening": gettext_lazy("screening report"),
}


@dataclass
class CheckView:
    label: str
    met: bool
    detail: str
    evidence: list[tuple[str, str]]


@dataclass
class ResultView:
    rank: int
    slug: str
    name: str
    url: str
    score: int
    out_of: int
    met: list[CheckView]
    missed: list[CheckView]


def _result_view(ranked: Ranked) -> ResultView:
    def view(check) -> CheckView:
        return CheckView(label=text_render(check.label, _), met=check.met, detail=text_render(check.detail, _),
                         evidence=[(str(EVIDENCE_LABELS.get(label, label)), url) for label, url in check.evidence])

    return ResultView(rank=ranked.rank, slug=ranked.facts.slug, name=ranked.facts.name, url=ranked.facts.url,
                      score=ranked.score, out_of=ranked.out_of, met=[view(c) for c in ranked.met],
                      missed=[view(c) for c in ranked.missed])


def _form_choices(need) -> dict:
    regions = region_names()
    top = [name for name in regions if name in {"Africa", "Americas", "Asia", "Europe", "Oceania", "Antarctica"}]
    return {
        "categories": [(code, label, code in need.categories) for code, label in Category.choices],
        "layers": [(code, label, code in need.layers) for code, label in DpiLayer.choices],
        "sectors": [(code, label, code in need.sectors) for code, label in Sector.choices],
        "sdgs": [(number, _(sdg_name(number)), number in need.sdgs) for number in range(1, 18)],
        "licences": [(code, _(label), code == need.licence) for code, (label, _reach) in LICENCE_CONSTRAINTS.items()],
        "regions": top, "sub_regions": [name for name in regions if name not in top],
    }


def _answer(request: HttpRequest, *, limit: int, offset: int) -> tuple[FinderAnswer | None, str, object]:
    try:
        need = finder_need(request.GET)
    except InvalidNeed as exc:
        return None, exc.message, finder_need({})
    return finder_search(viewer=request.user, need=need, limit=limit, offset=offset), "", need


def _page(request: HttpRequest) -> int:
    value = request.GET.get("page", "1")
    return max(1, int(value)) if value.isdigit() else 1


def finder(request: HttpRequest) -> HttpResponse:
    page = _page(request)
    asked = any(request.GET.get(name) for name in ("category", "layer", "sector", "sdg", "languages", "licence",
                                                     "standards", "region", "maintained", "recognised"))
    answer, error, need = _answer(request, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    query = urlencode(need_query(need)) if answer else ""
    context = {
        "asked": asked and answer is not None, "error": error, "answer": answer, "need": need,
        "results": [_result_view(r) for r in answer.results] if answer and asked else [],
        "query": query, "page": page,
        "pages": -(-answer.total // PAGE_SIZE) if answer else 0,
        "languages_value": ", ".join(need.languages), "standards_value": ", ".join(need.standards),
        "json_url": reverse("api-v1:finder") + (f"?{query}" if query else ""),
        "compare_max": COMPARE_MAX, "nav": "finder", **_form_choices(need),
    }
    return render(request, "web/finder.html", context, status=400 if error else 200)


def finder_print(request: HttpRequest) -> HttpResponse:
    """The shortlist with its reasons, for a procurement file: the first 50, no form, printable."""
    answer, error, need = _answer(request, limit=50, offset=0)
    query = urlencode(need_query(need)) if answer else ""
    context = {"answer": answer, "error": error, "results": [_result_view(r) for r in answer.results] if answer else [],
               "query": query, "criteria": _criteria_text(answer) if answer else [],
               "json_url": reverse("api-v1:finder") + (f"?{query}" if query else ""), "nav": "finder"}
    return render(request, "web/finder_print.html", context, status=400 if error else 200)


def _criteria_text(answer: FinderAnswer) -> list[str]:
    first = answer.results[0] if answer.results else None
    return [text_render(check.label, _) for check in first.checks] if first else []


def finder_csv(request: HttpRequest) -> HttpResponse:
    """The shortlist (first 500) as CSV: rank, good, score, and each criterion met or missed with why."""
    answer, error, _need = _answer(request, limit=500, offset=0)
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="dpghub-shortlist.csv"'
    writer = csv.writer(response)
    writer.writerow([_("rank"), _("good"), _("page"), _("criteria met"), _("criteria asked"), _("met"), _("missed"),
                     _("evidence")])
    base = request.build_absolute_uri("/").rstrip("/")
    for ranked in answer.results:
        view = _result_view(ranked)
        met = "; ".join(f"{c.label}: {c.detail}" for c in view.met)
        missed = "; ".join(f"{c.label}: {c.detail}" for c in view.missed)
        evidence = " ".join(url if url.startswith("http") else base + url for c in view.met for _l, url in c.evidence)
        writer.writerow([view.rank, _csv_safe(view.name), base + view.url, view.score, view.out_of,
                         *(_csv_safe(v) for v in (met, missed)), evidence])
    return response


def _csv_safe(value: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def _compare_view(entry: dict) -> dict:
    """Labels in the reader's language for the codes of a comparison entry."""
    for licence in entry["licences"]:
        licence["copyleft_label"] = _(COPYLEFT_LABELS[Copyleft[licence["copyleft"].upper()]])
    entry["stage_label"] = GoodStage(entry["stage"]).label if entry["stage"] in GoodStage.values else entry["stage"]
    entry["stage_counts"] = [(Stage(code).label if code else _("stage not said"), count)
                             for code, count in entry["deployments"]["by_stage"].items()]
    return entry


def compare(request: HttpRequest) -> HttpResponse:
    try:
        slugs = slugs_from_params(request.GET)
        comparison = [_compare_view(entry) for entry in goods_compare(viewer=request.user, slugs=slugs)]
        error = ""
    except InvalidDeployment as exc:
        comparison, error, slugs = None, exc.message, []
    query = urlencode({"goods": ",".join(slugs)}) if slugs else ""
    context = {"comparison": comparison, "error": error, "slugs": ", ".join(slugs), "compare_max": COMPARE_MAX,
               "json_url": reverse("api-v1:compare") + (f"?{query}" if query else ""), "nav": "finder"}
    return render(request, "web/compare.html", context, status=400 if error else 200)
