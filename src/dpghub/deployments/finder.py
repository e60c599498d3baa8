""""Find a good for our need", on the registry's data: reading a need from a query string, the facts of every
good (catalogue, deployments, screenings) gathered in a few queries, and the ranking of
:mod:`dpghub.core.finder` over them. The web page, its CSV and printable twins and ``/api/v1/finder`` all
call :func:`finder_search` with the same parameters, so they list the same goods in the same order.

The facts are kept per process in a :class:`~dpghub.core.finder.FinderIndex`. Every
``DPGHUB_FINDER_CACHE_SECONDS`` (60) it checks, in three aggregate queries, whether the catalogue, the
deployments or the screenings changed, and builds the index again only then: a change shows in the finder
within that time, and an unchanged registry is never read twice.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from dpghub.catalog.enums import Category, CountryRole
from dpghub.catalog.enums import Stage as GoodStage
from dpghub.catalog.models import Good, GoodCountry, GoodLicense, GoodSDG, IndicatorResult
from dpghub.common.errors import InvalidInput
from dpghub.core.finder import LICENCE_CONSTRAINTS, FinderIndex, GoodFacts, Need, Ranked, sector_codes
from dpghub.core.regions import region_names
from dpghub.deployments.enums import DpiLayer, Sector, VerificationState
from dpghub.deployments.errors import DeploymentsError
from dpghub.deployments.models import Deployment
from dpghub.screening.models import ScreeningRun, ScreeningStatus

#: The query-string parameters of a need (the page's form, its links, the CSV and the API).
PARAMETERS = ("category", "layer", "sector", "sdg", "languages", "licence", "standards", "region", "maintained",
              "recognised")
MAX_TERMS = 10


class InvalidNeed(DeploymentsError, InvalidInput):
    """A parameter of the finder that cannot be read."""


def _list(params: Any, name: str) -> list[str]:
    if hasattr(params, "getlist"):
        values = params.getlist(name)
    else:
        value = params.get(name, [])
        values = value if isinstance(value, list | tuple) else [value]
    out: list[str] = []
    for value in values:
        for part in str(value).split(","):
            part = part.strip()
            if part and part not in out:
                out.append(part)
    return out


def _flag(params: Any, name: str) -> bool:
    values = _list(params, name)
    return bool(values) and values[-1].casefold() in {"1", "true", "on", "yes"}


def _choices(params: Any, name: str, allowed: list[str]) -> tuple[str, ...]:
    values = _list(params, name)
    for value in values:
        if value not in allowed:
            raise InvalidNeed(_("“%(value)s” is not a choice of %(name)s.") % {"value": value, "name": name},
                              field=name)
    return tuple(sorted(values))


def _terms(params: Any, name: str) -> tuple[str, ...]:
    values = [value[:60] for value in _list(params, name)]
    if len(values) > MAX_TERMS:
        raise InvalidNeed(_("At most %(count)s values of %(name)s.") % {"count": MAX_TERMS, "name": name}, field=name)
    return tuple(values)


def finder_need(params: Mapping[str, Any] | Any) -> Need:
    """The need a query string states (a QueryDict or a plain mapping of names to values or lists)."""
    sdgs = []
    for value in _list(params, "sdg"):
        if not value.isdigit() or not 1 <= int(value) <= 17:
            raise InvalidNeed(_("“%(value)s” is not an SDG (1 to 17).") % {"value": value}, field="sdg")
        sdgs.append(int(value))
    licence = (_list(params, "licence") or ["any"])[-1]
    if licence not in LICENCE_CONSTRAINTS:
        raise InvalidNeed(_("“%(value)s” is not a licence constraint.") % {"value": licence}, field="licence")
    region = (_list(params, "region") or [""])[-1]
    if region and region not in region_names():
        raise InvalidNeed(_("“%(value)s” is not a UN M49 region or sub-region.") % {"value": region}, field="region")
    return Need(
        categories=_choices(params, "category", list(Category.values)),
        layers=_choices(params, "layer", list(DpiLayer.values)),
        sectors=_choices(params, "sector", list(Sector.values)),
        sdgs=tuple(sorted(set(sdgs))), languages=_terms(params, "languages"), licence=licence,
        standards=_terms(params, "standards"), region=region,
        maintained=_flag(params, "maintained"), recognised=_flag(params, "recognised"),
    )


def need_query(need: Need) -> list[tuple[str, str]]:
    """The query string of ``need`` (the link that saves and shares the search), in a stable order."""
    pairs = [("category", value) for value in need.categories]
    pairs += [("layer", value) for value in need.layers]
    pairs += [("sector", value) for value in need.sectors]
    pairs += [("sdg", str(value)) for value in need.sdgs]
    if need.languages:
        pairs.append(("languages", ", ".join(need.languages)))
    if need.licence != "any":
        pairs.append(("licence", need.licence))
    if need.standards:
        pairs.append(("standards", ", ".join(need.standards)))
    if need.region:
        pairs.append(("region", need.region))
    if need.maintained:
        pairs.append(("maintained", "1"))
    if need.recognised:
        pairs.append(("recognised", "1"))
    return pairs


def finder_labels() -> dict[str, str]:
    """Codes in the reader's language: categories, DPI layers, sectors and stages (``stage:<code>``)."""
    labels = {code: str(label) for enum in (Category, DpiLayer, Sector) for code, label in enum.choices}
    labels.update({f"stage:{code}": str(label) for code, label in GoodStage.choices})
    return labels


# -- the facts ------------------------------------------------------------------------------------------------

def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and len(value) >= 10:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _last_commits() -> dict[int, dt.date]:
    """The "last_commit" health signal of each good's newest successful screening."""
    newest: dict[int, tuple[Any, int, Any]] = {}
    runs = ScreeningRun.objects.filter(status=ScreeningStatus.SUCCEEDED).values_list("good_id", "finished_at", "pk")
    for good_id, finished_at, pk in runs:
        key = (finished_at, pk)
        if good_id not in newest or key > newest[good_id][:2]:
            newest[good_id] = (finished_at, pk, None)
    reports = dict(ScreeningRun.objects.filter(pk__in=[pk for _f, pk, _n in newest.values()])
                   .values_list("pk", "report"))
    found = {}
    for good_id, (_finished, pk, _none) in newest.items():
        report = reports.get(pk) or {}
        for signal in report.get("health", []) if isinstance(report, dict) else []:
            if isinstance(signal, dict) and signal.get("id") == "last_commit":
                when = _date(signal.get("value"))
                if when:
                    found[good_id] = when
    return found


def finder_facts() -> list[GoodFacts]:
    """Every good's facts, read in eight queries whatever the number of goods and deployments."""
    sdgs: dict[int, set[int]] = defaultdict(set)
    sdg_evidence: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for good_id, sdg, urls in GoodSDG.objects.values_list("good_id", "sdg", "evidence_urls"):
        sdgs[good_id].add(sdg)
        sdg_evidence[good_id] += [(sdg, str(url)) for url in (urls or [])[:2] if str(url).startswith("http")]
    licences: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for good_id, expression, url in GoodLicense.objects.order_by("pk").values_list("good_id", "expression",
                                                                                    "evidence_url"):
        licences[good_id].append((expression, url))
    standards: dict[int, tuple[tuple, str, tuple[str, ...]]] = {}
    results = IndicatorResult.objects.filter(indicator="8").values_list(
        "assessment__good_id", "assessment__assessed_on", "assessment_id", "summary", "evidence")
    for good_id, assessed_on, assessment_id, summary, evidence in results:
        key = (assessed_on or dt.date.min, assessment_id)
        if good_id in standards and standards[good_id][0] >= key:
            continue
        texts = [str(item.get("text") or "") for item in evidence or [] if isinstance(item, dict)
                 and item.get("field") in ("openStandards", "standards.standardsList", "")]
        urls = tuple(str(item["url"]) for item in evidence or [] if isinstance(item, dict)
                     and str(item.get("url") or "").startswith("http"))[:3]
        standards[good_id] = (key, "\n".join(texts) or summary, urls)
    countries: dict[int, set[str]] = defaultdict(set)
    verified: dict[int, set[str]] = defaultdict(set)
    layers: dict[int, set[str]] = defaultdict(set)
    sectors: dict[int, set[str]] = defaultdict(set)
    for good_id, country in GoodCountry.objects.filter(role=CountryRole.DEPLOYMENT).values_list("good_id", "country"):
        countries[good_id].add(country)
    rows = (Deployment.objects.exclude(verification=VerificationState.DISPUTED)
            .values_list("good_id", "country", "layer", "sector", "verification").distinct())
    for good_id, country, layer, sector, verification in rows.iterator(chunk_size=20000):
        countries[good_id].add(country)
        if verification == VerificationState.VERIFIED:
            verified[good_id].add(country)
        if layer:
            layers[good_id].add(layer)
        if sector:
            sectors[good_id].add(sector)
    last_commits = _last_commits()
    facts = []
    goods = Good.objects.values_list("pk", "slug", "name", "stage", "categories", "sectors", "aliases",
                                     "description", "expires_on")
    for pk, slug, name, stage, categories, good_sectors, aliases, description, expires_on in goods.iterator(
            chunk_size=20000):
        standard = standards.get(pk)
        facts.append(GoodFacts(
            slug=slug, name=name, stage=stage, categories=frozenset(categories or []),
            sectors=frozenset(sectors.get(pk, set()) | sector_codes(good_sectors or [])),
            layers=frozenset(layers.get(pk, ())), sdgs=frozenset(sdgs.get(pk, ())),
            sdg_evidence=tuple(sdg_evidence.get(pk, ())), licences=tuple(licences.get(pk, ())),
            text="\n".join([name, *[str(alias) for alias in aliases or []], description or ""]),
            standards_text=standard[1] if standard else "", standards_evidence=standard[2] if standard else (),
            countries=frozenset(countries.get(pk, ())), verified_countries=frozenset(verified.get(pk, ())),
            last_commit=last_commits.get(pk), expires_on=expires_on,
        ))
    return facts


@dataclass
class _Cached:
    key: tuple
    checked: float
    index: FinderIndex


_cache: dict[str, _Cached] = {}
_lock = threading.Lock()


def _data_version() -> tuple:
    """What the index was built from: the catalogue's index version, and the count, newest id and newest change of
    deployments and of successful screenings (three aggregate queries)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT version FROM catalog_indexversion WHERE id = 1")
        row = cursor.fetchone()
    deployments = Deployment.objects.aggregate(n=Count("pk"), last=Max("pk"), changed=Max("updated_at"))
    screenings = ScreeningRun.objects.filter(status=ScreeningStatus.SUCCEEDED).aggregate(n=Count("pk"), last=Max("pk"))
    return (row[0] if row else 0, *deployments.values(), *screenings.values())


def finder_index(*, fresh: bool = False) -> FinderIndex:
    """The process's finder index. At most every ``DPGHUB_FINDER_CACHE_SECONDS`` it checks what the index was
    built from (:func:`_data_version`) and builds it again only when that changed."""
    key = (connection.alias, connection.settings_dict.get("NAME"))
    ttl = settings.DPGHUB_FINDER_CACHE_SECONDS
    with _lock:
        cached = _cache.get(connection.alias)
        if not fresh and cached is not None and cached.key[:2] == key and time.monotonic() - cached.checked <= ttl:
            return cached.index
        version = _data_version()
        if fresh or cached is None or cached.key != (*key, version):
            index = FinderIndex(finder_facts())
            cached = _Cached(key=(*key, version), checked=time.monotonic(), index=index)
        else:
            cached.checked = time.monotonic()
        _cache[connection.alias] = cached
        return cached.index


def finder_forget() -> None:
    """Drop the cached index (tests, and after bulk changes)."""
    with _lock:
        _cache.clear()


@dataclass
class FinderAnswer:
    need: Need
    total: int
    results: list[Ranked]
    offset: int
    limit: int
    today: dt.date


def finder_search(*, viewer: Any, need: Need, limit: int = 50, offset: int = 0,
                  today: dt.date | None = None) -> FinderAnswer:
    """The goods that meet at least one criterion of ``need``, best first, each explained. Public data only
    (deployments are public, claims included; no person is named)."""
    today = today or timezone.localdate()
    limit = max(1, min(limit, 500))
    total, results = finder_index().rank(need, today=today, limit=limit, offset=max(0, offset),
                                         labels=finder_labels())
    return FinderAnswer(need=need, total=total, results=results, offset=max(0, offset), limit=limit, today=today)
