"""The Charter's pages: the 3 x 5 grid (table, SVG chart, CSV), endorsers, pledges, and their forms.

Views parse the request, call :mod:`dpghub.charter.services` and :mod:`dpghub.charter.selectors`, and render.
Who may do what is asked of the domain (``actor_may`` over the Charter's rules, and the services refuse
anyway); domain errors the page cannot show as a message rise to :mod:`dpghub.web.errors`.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dpghub.catalog.errors import GoodNotFound
from dpghub.catalog.models import Good
from dpghub.catalog.selectors import good_get
from dpghub.charter.enums import (
    Ambition,
    Completion,
    Gap,
    Outcome,
    PledgeStatus,
    PledgeType,
    ReportingLight,
    TargetStatus,
    Verification,
)
from dpghub.charter.errors import CharterError, EndorsementNotFound
from dpghub.charter.models import Endorsement, Target
from dpghub.charter.rules import CHARTER_RULES
from dpghub.charter.selectors import (
    Grid,
    charter_grid,
    endorsement_get,
    endorsements_list,
    good_ids_for,
    goods_with_pledges,
    pledge_get,
    pledge_ratings,
    pledge_reports,
    pledge_state,
    pledge_targets,
    pledges_latest_ratings,
    pledges_list,
    pledges_states,
    report_get,
    report_verification_as_of,
    sample_exists,
)
from dpghub.charter.services import (
    MilestoneInput,
    TargetInput,
    endorsement_create,
    pledge_create,
    pledge_publish,
    pledge_rate,
    pledge_smart_gaps,
    pledge_withdraw,
    report_request_evidence,
    report_submit,
    report_verify,
    target_check,
)
from dpghub.common.authz import actor_may
from dpghub.common.errors import Conflict, InvalidInput
from dpghub.common.history import Actor
from dpghub.common.selectors import history_of
from dpghub.core.countries import country_name
from dpghub.orgs.enums import OrganisationType
from dpghub.orgs.errors import OrganisationNotFound
from dpghub.orgs.selectors import organisation_get, person_organisations

#: How many target rows the pledge form offers; empty rows are ignored.
TARGET_ROWS = 3

#: The reporting light's meaning, in words (the colour is never the only signal).
LIGHT_MEANING = {
    ReportingLight.GREEN: "●",
    ReportingLight.AMBER: "◐",
    ReportingLight.RED: "▲",
    ReportingLight.INACTIVE: "○",
}

#: The marker beside a cell's gap signal (shape, not colour alone).
GAP_MARKER = {Gap.NONE: "✓", Gap.NO_PLEDGE: "○", Gap.NOTHING_DELIVERED: "△"}


def _language(request: HttpRequest) -> str:
    return getattr(request, "LANGUAGE_CODE", "en") or "en"


def _country(code: str, request: HttpRequest) -> str:
    return country_name(code, _language(request)) or code


def _is_country(code: str) -> bool:
    """Whether ``code`` is an ISO 3166-1 alpha-2 code (country_name answers the code itself when unknown)."""
    return len(code) == 2 and code.isalpha() and country_name(code) != code


def _date(value: str) -> dt.date | None:
    """A day from YYYY-MM-DD between 1900 and 9000 (the grid counts periods back from it), else None."""
    try:
        day = dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None
    return day if day is None or dt.date(1900, 1, 1) <= day <= dt.date(9000, 12, 31) else None


# -- the grid ------------------------------------------------------------------------------------------

@dataclass
class GridFilters:
    as_of: dt.date
    country: str = ""
    endorser_type: str = ""
    good: Good | None = None
    endorsement: Endorsement | None = None
    include_sample: bool = False
    error: str = ""

    def query(self, *, with_country: bool = True, with_endorser: bool = True, with_sample: bool = True) -> str:
        params = [("as_of", self.as_of.isoformat())]
        if self.country and with_country:
            params.append(("country", self.country))
        if self.endorser_type:
            params.append(("endorser_type", self.endorser_type))
        if self.good is not None:
            params.append(("good", self.good.slug))
        if self.endorsement is not None and with_endorser:
            params.append(("endorser", self.endorsement.organisation.slug))
        if self.include_sample and with_sample:
            params.append(("include_sample", "true"))
        return urlencode(params)


def _grid_filters(request: HttpRequest, *, country: str = "", endorsement: Endorsement | None = None) -> GridFilters:
    """The grid's filters from the query string; a wrong value is dropped and said, never an error page."""
    get = request.GET
    today = timezone.localdate()
    errors = []
    as_of = _date(get.get("as_of", ""))
    if get.get("as_of") and as_of is None:
        errors.append(_("The date is not a date (YYYY-MM-DD); the grid is shown as of today."))
    if as_of is not None and as_of > today:
        errors.append(_("The grid is shown as of today at the latest."))
        as_of = None
    code = country or get.get("country", "").strip().upper()[:2]
    if code and not _is_country(code):
        errors.append(_("“%(value)s” is not an ISO 3166 country code; all countries are shown.") % {"value": code})
        code = ""
    endorser_type = get.get("endorser_type", "")
    if endorser_type not in OrganisationType.values:
        endorser_type = ""
    good = None
    slug = get.get("good", "").strip()
    if slug:
        try:
            good = good_get(slug=slug)
        except GoodNotFound:
            errors.append(_("No registered good “%(slug)s”; all goods are shown.") % {"slug": slug[:100]})
    slug = get.get("endorser", "").strip()
    if endorsement is None and slug:
        try:
            endorsement = endorsement_get(viewer=request.user, organisation_slug=slug[:100])
        except EndorsementNotFound:
            errors.append(_("No endorser “%(slug)s”; all endorsers are shown.") % {"slug": slug[:100]})
    # Sample data (dpghub charter sample) only when asked, or on a sample endorser's own page.
    include_sample = get.get("include_sample") == "true" or (endorsement is not None and endorsement.is_sample)
    return GridFilters(as_of=as_of or today, country=code, endorser_type=endorser_type, good=good,
                       endorsement=endorsement, include_sample=include_sample, error=" ".join(errors))


def _grid_of(request: HttpRequest, filters: GridFilters) -> Grid:
    return charter_grid(viewer=request.user, as_of=filters.as_of, country=filters.country,
                        endorser_type=filters.endorser_type, good=filters.good, endorsement=filters.endorsement,
                        include_sample=filters.include_sample)


@dataclass
class ChartCell:
    x: int
    y: int
    cx: int
    cy: int
    pledges: int
    level: int
    label: str


def _chart(grid: Grid) -> dict:
    """A heat grid of pledges per cell, drawn in SVG by the template (no JavaScript): 5 shades by count, the
    number written in each square."""
    width, height, left, top = 170, 60, 190, 60
    most = max((c.pledges for c in grid.cells), default=0)
    cells = []
    for index, cell in enumerate(grid.cells):
        row, col = divmod(index, len(Outcome))
        level = 0 if not cell.pledges else 1 + min(3, (4 * cell.pledges - 1) // max(most, 1))
        x, y = left + col * width, top + row * height
        cells.append(ChartCell(x=x, y=y, cx=x + (width - 4) // 2, cy=y + height // 2 + 4, pledges=cell.pledges,
                               level=level,
                               label=f"{cell.type.label}, {cell.outcome.label}"))
    return {
        "cells": cells, "width": left + width * len(Outcome) + 10, "height": top + height * len(PledgeType) + 10,
        "cell_w": width - 4, "cell_h": height - 4,
        "columns": [{"x": left + i * width + width // 2, "label": o.label} for i, o in enumerate(Outcome)],
        "rows": [{"y": top + i * height + height // 2 + 5, "label": t.label} for i, t in enumerate(PledgeType)],
    }


def _grid_rows(grid: Grid) -> list[dict]:
    rows = []
    for type_ in PledgeType:
        cells = [c for c in grid.cells if c.type == type_]
        rows.append({"type": type_, "cells": [{"cell": c, "marker": GAP_MARKER[c.gap]} for c in cells]})
    return rows


def _grid_context(request: HttpRequest, filters: GridFilters, grid: Grid) -> dict:
    return {
        "grid": grid, "rows": _grid_rows(grid), "outcomes": Outcome.choices, "chart": _chart(grid),
        "filters": filters, "types": OrganisationType.choices,
        "goods": goods_with_pledges(),
        "country_label": _country(filters.country, request) if filters.country else "",
        "gap_legend": [(GAP_MARKER[g], g.label) for g in Gap],
        "sample_exists": sample_exists(),
        "sample_toggle": "?" + GridFilters(**{**filters.__dict__, "include_sample": not filters.include_sample}).query(
            with_country=not request.resolver_match.kwargs.get("code"),
            with_endorser=not request.resolver_match.kwargs.get("slug")),
    }


def charter_home(request: HttpRequest) -> HttpResponse:
    filters = _grid_filters(request)
    grid = _grid_of(request, filters)
    query = filters.query()
    context = _grid_context(request, filters, grid)
    context.update({
        "nav": "charter", "csv_url": reverse("web:charter-grid-csv") + f"?{query}",
        "json_url": reverse("api-v1:charter_grid") + f"?{query}",
        "grid_json_url": reverse("api-v1:charter_grid") + f"?{query}",
        "endorsers_count": endorsements_list(viewer=request.user, include_sample=filters.include_sample).count(),
    })
    return render(request, "web/charter_grid.html", context)


def charter_grid_csv(request: HttpRequest) -> HttpResponse:
    """The grid as CSV: one row per cell and currency (a cell without money targets has one row, no currency);
    amounts are never summed across currencies."""
    filters = _grid_filters(request)
    grid = _grid_of(request, filters)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="dpghub-charter-grid-{grid.as_of.isoformat()}.csv"'
    writer = csv.writer(response)
    writer.writerow(["as_of", "country", "endorser_type", "endorser", "good", "includes_sample", "type", "outcome",
                     "pledges", "endorsers", "completed", "late", "overdue", "gap", "currency", "pledged", "reported",
                     "reported_verified", "reported_self_reported"])
    head = [grid.as_of.isoformat(), filters.country, filters.endorser_type,
            filters.endorsement.organisation.slug if filters.endorsement else "", filters.good.slug if filters.good else "",
            "yes" if grid.includes_sample else "no"]
    for cell in grid.cells:
        counts = [cell.type.value, cell.outcome.value, cell.pledges, cell.endorsers, cell.completed, cell.late,
                  cell.overdue, cell.gap.value]
        if not cell.finance:
            writer.writerow([*head, *counts, "", "", "", "", ""])
        for line in cell.finance:
            writer.writerow([*head, *counts, line.currency, line.pledged, line.reported, line.reported_verified,
                             line.reported - line.reported_verified])
    return response


COUNTRY_PAGE_SIZE = 50


def _country_pledges(request: HttpRequest, code: str, filters: GridFilters) -> dict:
    """One page of the public pledges concerning the country (a country can have thousands)."""
    listed = pledges_list(viewer=request.user, country=code, include_sample=filters.include_sample).exclude(
        status=PledgeStatus.DRAFT)
    try:
        page = min(10_000, max(1, int(request.GET.get("page", "1"))))
    except ValueError:
        page = 1
    start = (page - 1) * COUNTRY_PAGE_SIZE
    rows = list(listed[start:start + COUNTRY_PAGE_SIZE + 1])  # one more says whether a next page exists (no count)

    def link(number: int) -> str:
        return f"?{filters.query(with_country=False)}&page={number}"

    return {"pledges": rows[:COUNTRY_PAGE_SIZE], "page": page,
            "previous_url": link(page - 1) if page > 1 else "",
            "next_url": link(page + 1) if len(rows) > COUNTRY_PAGE_SIZE else ""}


def charter_country(request: HttpRequest, code: str) -> HttpResponse:
    code = code.upper()
    if not _is_country(code):
        raise Http404(_("No such country."))
    filters = _grid_filters(request, country=code)
    grid = _grid_of(request, filters)
    query = filters.query()
    context = _grid_context(request, filters, grid)
    context.update({
        "nav": "charter", "country_code": code, "country_label": _country(code, request),
        **_country_pledges(request, code, filters),
        "csv_url": reverse("web:charter-grid-csv") + f"?{query}",
        "json_url": reverse("api-v1:charter_country", kwargs={"code": code}) + f"?{filters.query(with_country=False)}",
        "grid_json_url": reverse("api-v1:charter_country", kwargs={"code": code})
        + f"?{filters.query(with_country=False)}",
    })
    return render(request, "web/charter_country.html", context)


# -- endorsers -----------------------------------------------------------------------------------------

def endorsers_list(request: HttpRequest) -> HttpResponse:
    endorser_type = request.GET.get("type", "")
    if endorser_type not in OrganisationType.values:
        endorser_type = ""
    country = request.GET.get("country", "").strip().upper()[:2]
    if country and not _is_country(country):
        country = ""
    include_sample = request.GET.get("include_sample") == "true"
    rows = [(e, _country(e.organisation.country, request) if e.organisation.country else "")
            for e in endorsements_list(viewer=request.user, endorser_type=endorser_type, country=country,
                                       include_sample=include_sample)[:1000]]
    return render(request, "web/charter_endorsers.html", {
        "rows": rows, "include_sample": include_sample, "sample_exists": sample_exists(),
        "mine": _my_organisations(request), "types": OrganisationType.choices, "type": endorser_type, "country": country, "nav": "charter",
        "json_url": reverse("api-v1:endorsers_list"),
    })


def _my_organisations(request: HttpRequest) -> list[dict]:
    """The viewer's organisations, each with what the viewer may do for it in the Charter: endorse or pledge."""
    if not request.user.is_authenticated:
        return []
    actor = Actor.person(request.user)
    organisations = [org for org, _role in person_organisations(viewer=request.user)]
    endorsed = {e.organisation_id: e for e in endorsements_list(viewer=request.user, include_sample=True)
                .filter(organisation__in=organisations)}
    out = []
    for org in organisations:
        endorsement = endorsed.get(org.pk)
        out.append({"org": org, "endorsement": endorsement,
                    "can_endorse": endorsement is None and actor_may(CHARTER_RULES, "charter.endorse", actor=actor,
                                                                     obj=org),
                    "can_pledge": endorsement is not None and actor_may(CHARTER_RULES, "charter.create_pledge",
                                                                        actor=actor, obj=endorsement)})
    return out


def _light(state) -> dict:
    return {"value": state.light.value, "label": state.light.label, "marker": LIGHT_MEANING[state.light]}


def endorser_detail(request: HttpRequest, slug: str) -> HttpResponse:
    endorsement = endorsement_get(viewer=request.user, organisation_slug=slug)  # not found -> 404 page
    organisation = endorsement.organisation
    actor = Actor.from_user(request.user)
    filters = _grid_filters(request, endorsement=endorsement)
    pledges = []
    listed = list(pledges_list(viewer=request.user, endorsement=endorsement, include_sample=endorsement.is_sample))
    states = pledges_states(pledges=listed, as_of=filters.as_of)
    ratings = pledges_latest_ratings(pledges=listed)
    for pledge in listed:
        state = states[pledge.pk]
        pledges.append({"pledge": pledge, "state": state, "light": _light(state), "rating": ratings.get(pledge.pk)})
    grid = _grid_of(request, filters)
    context = _grid_context(request, filters, grid)
    context.update({
        "endorsement": endorsement, "org": organisation, "pledges": pledges, "nav": "charter",
        "fixed_endorser": True, "csv_url": reverse("web:charter-grid-csv") + f"?{filters.query()}",
        "country": _country(organisation.country, request) if organisation.country else "",
        "can_pledge": actor_may(CHARTER_RULES, "charter.create_pledge", actor=actor, obj=endorsement),
        "json_url": reverse("api-v1:endorser_detail", kwargs={"id": organisation.slug}),
        "grid_json_url": reverse("api-v1:charter_endorser", kwargs={"id": organisation.slug})
        + f"?{filters.query(with_endorser=False)}",
    })
    return render(request, "web/charter_endorser.html", context)


@login_required
def endorse(request: HttpRequest, slug: str) -> HttpResponse:
    """An organisation's administrators (or the secretariat) endorse the Charter for it."""
    try:
        organisation = organisation_get(viewer=request.user, slug=slug)
    except OrganisationNotFound:
        raise Http404(_("No such organisation.")) from None
    actor = Actor.person(request.user)
    if not actor_may(CHARTER_RULES, "charter.endorse", actor=actor, obj=organisation):
        raise PermissionDenied(_("Only the organisation's administrators or the secretariat may endorse for it."))
    errors: dict[str, str] = {}
    form = request.POST if request.method == "POST" else {"endorsed_on": timezone.localdate().isoformat()}
    if request.method == "POST":
        endorsed_on = _date(form.get("endorsed_on", ""))
        if endorsed_on is None:
            errors["endorsed_on"] = _("Give the date of the endorsement (YYYY-MM-DD).")
        else:
            try:
                endorsement_create(actor=actor, organisation=organisation, endorsed_on=endorsed_on,
                                   statement=form.get("statement", ""), signatory_role=form.get("signatory_role", ""))
            except (InvalidInput, Conflict) as exc:
                errors[exc.field or "endorsed_on"] = exc.message
            else:
                messages.success(request, _("%(org)s endorses the Charter.") % {"org": organisation.name})
                return redirect("web:charter-endorser", slug=organisation.slug)
    return render(request, "web/charter_endorse.html", {"org": organisation, "form": form, "errors": errors,
                                                        "nav": "charter"}, status=400 if errors else 200)


# -- pledges -------------------------------------------------------------------------------------------

def _split(value: str) -> list[str]:
    return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]


_TARGET_NAMES = ("metric", "unit", "currency", "baseline", "target_value", "deadline")


def _target_rows(post) -> list[dict]:
    rows = []
    for i in range(1, TARGET_ROWS + 1):
        row = {name: post.get(f"t{i}-{name}", "").strip()
               for name in (*_TARGET_NAMES, "milestone", "milestone_due")}
        row["n"] = i
        rows.append(row)
    return rows


@login_required
def pledge_new(request: HttpRequest) -> HttpResponse:
    """The pledge form: says what keeps the pledge from being SMART before it is saved as a draft."""
    slug = request.GET.get("endorser", "") or request.POST.get("endorser", "")
    endorsement = endorsement_get(viewer=request.user, organisation_slug=slug)  # not found -> 404 page
    actor = Actor.person(request.user)
    if not actor_may(CHARTER_RULES, "charter.create_pledge", actor=actor, obj=endorsement):
        raise PermissionDenied(_("Only the endorser's members or the secretariat may register its pledges."))
    post = request.POST if request.method == "POST" else None
    form = {"title": "", "description": "", "types": [], "outcomes": [], "countries": "", "goods": "",
            "pledged_on": timezone.localdate().isoformat()}
    if post is not None:
        form = {"title": post.get("title", ""), "description": post.get("description", ""),
                "types": post.getlist("types"), "outcomes": post.getlist("outcomes"),
                "countries": post.get("countries", ""), "goods": post.get("goods", ""),
                "pledged_on": post.get("pledged_on", "")}
    rows = _target_rows(post or {})
    errors: dict[str, str] = {}
    gaps: list[str] = []
    if post is not None:
        pledged_on = _date(form["pledged_on"])
        if pledged_on is None:
            errors["pledged_on"] = _("Give the date of the pledge (YYYY-MM-DD).")
        targets: list[TargetInput] = []
        for row in rows:
            if not any(row[name] for name in (*_TARGET_NAMES, "milestone", "milestone_due")):
                continue  # an empty row is not a target
            deadline, due = _date(row["deadline"]), _date(row["milestone_due"])
            if row["deadline"] and deadline is None:
                row["errors"] = [_("The deadline is not a date (YYYY-MM-DD).")]
                continue
            if (row["milestone"] or row["milestone_due"]) and due is None:
                row["errors"] = [_("A milestone needs a title and the date it is due (YYYY-MM-DD).")]
                continue
            milestones = [MilestoneInput(title=row["milestone"], due_on=due)] if due is not None else []
            target = TargetInput(metric=row["metric"], unit=row["unit"], currency=row["currency"],
                                 baseline=row["baseline"] or None, target_value=row["target_value"] or None,
                                 deadline=deadline, milestones=milestones)
            problems = target_check(target, pledged_on=pledged_on)
            if problems:
                row["errors"] = [message for _field, message in problems]
            targets.append(target)
        good_ids: list[int] = []
        try:
            good_ids = good_ids_for(slugs=_split(form["goods"]))
        except InvalidInput as exc:
            errors["goods"] = exc.message
        gaps = pledge_smart_gaps(targets=targets, good_ids=good_ids or _split(form["goods"]))
        has_row_errors = any(row.get("errors") for row in rows)
        if "save" in post and not errors and not has_row_errors:
            try:
                pledge = pledge_create(actor=actor, endorsement=endorsement, title=form["title"],
                                       description=form["description"], types=form["types"],
                                       outcomes=form["outcomes"], countries=_split(form["countries"]),
                                       good_ids=good_ids, pledged_on=pledged_on, targets=targets)
            except (InvalidInput, Conflict) as exc:
                field = (exc.field or "title").split(".")[0]
                errors[field if field != "targets" else "form"] = exc.message
            else:
                messages.success(request, _("The pledge is saved as a draft: only your organisation and the "
                                            "secretariat see it until it is published."))
                for gap in gaps:
                    messages.warning(request, gap)
                return redirect("web:charter-pledge", ref=pledge.ref)
        elif "save" in post:
            errors.setdefault("form", _("The pledge is not saved yet: see the problems below."))
    status = 400 if errors or any(row.get("errors") for row in rows) else 200
    return render(request, "web/charter_pledge_form.html", {
        "endorsement": endorsement, "form": form, "rows": rows, "errors": errors, "gaps": gaps,
        "checked": post is not None, "types": PledgeType.choices, "outcomes": Outcome.choices, "nav": "charter",
    }, status=status)


def _report_rows(viewer, pledge, as_of: dt.date) -> dict[int, list[dict]]:
    by_target: dict[int, list[dict]] = {}
    for report in pledge_reports(viewer=viewer, pledge=pledge):
        verification = report_verification_as_of(report=report, as_of=as_of)
        by_target.setdefault(report.target_id, []).append({"report": report, "verification": verification})
    return by_target


def pledge_detail(request: HttpRequest, ref: str) -> HttpResponse:
    pledge = pledge_get(viewer=request.user, ref=ref)  # a draft the viewer may not see: 404 page
    today = timezone.localdate()
    as_of = min(_date(request.GET.get("as_of", "")) or today, today)  # the pledge as it stood that day
    state = pledge_state(pledge=pledge, as_of=as_of)
    targets = {t.pk: t for t in pledge_targets(pledge=pledge)}
    reports = _report_rows(request.user, pledge, as_of)
    actor = Actor.from_user(request.user)
    may = {rule: actor_may(CHARTER_RULES, f"charter.{rule}", actor=actor, obj=pledge)
           for rule in ("publish_pledge", "withdraw_pledge", "report_progress", "verify_report", "rate_pledge")}
    rows = []
    for target_state in state.targets:
        target = targets.get(target_state.target.pk, target_state.target)
        latest = target_state.latest
        rows.append({
            "target": target, "state": target_state, "milestones": list(target.milestones.all()),
            "latest": latest,
            "latest_verification": report_verification_as_of(report=latest, as_of=as_of) if latest else None,
            "reports": reports.get(target.pk, []),
        })
    goods = list(pledge.goods.order_by("name").only("slug", "name"))
    ratings = list(pledge_ratings(pledge=pledge))
    return render(request, "web/charter_pledge.html", {
        "pledge": pledge, "state": state, "light": _light(state), "rows": rows, "goods": goods,
        "countries": [(code, _country(code, request)) for code in pledge.countries],
        "cells": [(PledgeType(t).label, Outcome(o).label) for t in pledge.types for o in pledge.outcomes],
        "rating": ratings[0] if ratings else None, "ratings": ratings,
        "gaps": pledge_smart_gaps(targets=[r["target"] for r in rows], good_ids=[g.pk for g in goods]),
        "can_publish": may["publish_pledge"] and pledge.status == PledgeStatus.DRAFT,
        "can_withdraw": may["withdraw_pledge"] and pledge.status == PledgeStatus.PUBLISHED,
        "can_report": may["report_progress"] and pledge.status == PledgeStatus.PUBLISHED,
        "can_verify": may["verify_report"], "can_rate": may["rate_pledge"] and pledge.status != PledgeStatus.DRAFT,
        "statuses": TargetStatus.choices, "ambitions": Ambition.choices, "completions": Completion.choices,
        "today": today, "as_of": as_of, "verified": Verification.VERIFIED, "more_evidence": Verification.MORE_EVIDENCE,
        "history": history_of(viewer=request.user, target=pledge,
                              related=[*targets.values(), *(r["report"] for rs in reports.values() for r in rs)],
                              limit=50),
        "nav": "charter",
        "json_url": reverse("api-v1:pledge_detail", kwargs={"ref": pledge.ref}),
        "history_json_url": "",
    })


def _back(pledge_ref: str) -> HttpResponse:
    return redirect("web:charter-pledge", ref=pledge_ref)


def _domain_message(request: HttpRequest, exc: CharterError) -> None:
    """Invalid input and conflicts are told on the page; other domain errors rise to dpghub.web.errors."""
    if isinstance(exc, (InvalidInput, Conflict)):
        messages.error(request, exc.message)
        return
    raise exc


@require_POST
@login_required
def pledge_action(request: HttpRequest, ref: str, action: str) -> HttpResponse:
    actions = {"publish": (pledge_publish, _("The pledge is published: it is now public.")),
               "withdraw": (pledge_withdraw, _("The pledge is withdrawn. It stays public, marked withdrawn."))}
    if action not in actions:
        raise Http404()
    pledge = pledge_get(viewer=request.user, ref=ref)
    service, done = actions[action]
    try:
        service(actor=Actor.person(request.user), pledge=pledge)
    except CharterError as exc:
        _domain_message(request, exc)
    else:
        messages.success(request, done)
    return _back(pledge.ref)


@require_POST
@login_required
def report_new(request: HttpRequest, ref: str, target_id: int) -> HttpResponse:
    pledge = pledge_get(viewer=request.user, ref=ref)
    target = Target.objects.filter(pledge=pledge, pk=target_id).first()
    if target is None:
        raise Http404(_("No such target."))
    post = request.POST
    reported_on = _date(post.get("reported_on", ""))
    if reported_on is None:
        messages.error(request, _("Give the date the value stands as of (YYYY-MM-DD)."))
        return _back(pledge.ref)
    try:
        report_submit(actor=Actor.person(request.user), target=target, reported_on=reported_on,
                      value=post.get("value", "").strip(), status=post.get("status", ""),
                      narrative=post.get("narrative", ""), evidence_url=post.get("evidence_url", ""))
    except CharterError as exc:
        _domain_message(request, exc)
    else:
        messages.success(request, _("Progress on “%(metric)s” is reported. It shows as self-reported until the "
                                    "secretariat verifies it.") % {"metric": target.metric})
    return _back(pledge.ref)


@require_POST
@login_required
def report_action(request: HttpRequest, report_id: int, action: str) -> HttpResponse:
    actions = {"verify": (report_verify, _("The report is verified.")),
               "request-evidence": (report_request_evidence, _("More evidence is requested; the endorser is told."))}
    if action not in actions:
        raise Http404()
    report = report_get(viewer=request.user, report_id=report_id)
    service, done = actions[action]
    try:
        service(actor=Actor.person(request.user), report=report, note=request.POST.get("note", ""))
    except CharterError as exc:
        _domain_message(request, exc)
    else:
        messages.success(request, done)
    return _back(report.target.pledge.ref)


@require_POST
@login_required
def pledge_rating(request: HttpRequest, ref: str) -> HttpResponse:
    pledge = pledge_get(viewer=request.user, ref=ref)
    try:
        pledge_rate(actor=Actor.person(request.user), pledge=pledge, ambition=request.POST.get("ambition", ""),
                    completion=request.POST.get("completion", ""), reasons=request.POST.get("reasons", ""))
    except CharterError as exc:
        _domain_message(request, exc)
    else:
        messages.success(request, _("The rating is recorded."))
    return _back(pledge.ref)


def good_pledges(*, viewer, good: Good) -> list:
    """The published (and withdrawn) pledges concerning a good, for its page."""
    return list(pledges_list(viewer=viewer, good=good).exclude(status=PledgeStatus.DRAFT)[:100])
