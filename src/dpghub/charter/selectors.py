"""Reads of the Charter framework, for a given viewer, and the numbers of the 3 x 5 grid.

Endorsements and published (or withdrawn) pledges are public. A draft is seen only by the members of the
endorsing organisation and the secretariat; to anyone else it does not exist (not found, never forbidden).

Definitions (ARCHITECTURE.md, "Charter"), all *as of* a date ``as_of``:

- a pledge **counts** when it is published (or was withdrawn after ``as_of``) and was made on or before it;
- a target's **latest report** is its report with the latest ``reported_on`` not after ``as_of``; its
  **verified value** the latest such report that the secretariat verified (on or before ``as_of``);
- a pledge is **late** when one of its targets has a deadline before ``as_of`` and its latest report is not
  "completed"; **completed** when it has targets and the latest report of every one is "completed";
- its **reporting light** comes from the days since its latest report (or since it was made, if never
  reported) against the period P: green up to P, amber (due) up to 2P, red (overdue) up to 3P, inactive
  after; **overdue** is red or inactive;
- a cell's **gap** is "no pledge", or "nothing delivered" when none of its pledges has a report that is
  "completed" or above the target's baseline (0 without one).

The grid is computed in four queries whatever the number of pledges and reports (one per level: cells,
totals, finance per cell and currency, finance per currency); the latest report of each target is a
correlated subquery on the (target, reported_on) index.
"""

from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import (
    Count,
    DateField,
    DecimalField,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from dpghub.catalog.models import Good
from dpghub.charter.enums import (
    Gap,
    Outcome,
    PledgeStatus,
    PledgeType,
    ReportingLight,
    TargetStatus,
    Verification,
)
from dpghub.charter.errors import EndorsementNotFound, InvalidCharterInput, PledgeNotFound, ReportNotFound
from dpghub.charter.models import (
    Endorsement,
    Pledge,
    PledgeCell,
    PledgeCountry,
    ProgressReport,
    Rating,
    Target,
)
from dpghub.common.authz import is_secretariat
from dpghub.orgs.enums import MembershipStatus
from dpghub.orgs.models import Membership

_CENT = decimal.Decimal("0.01")
_MONEY = DecimalField(max_digits=24, decimal_places=2)


# -- visibility ----------------------------------------------------------------------------------------

def _visible(pledges: QuerySet[Pledge], viewer: Any) -> QuerySet[Pledge]:
    if is_secretariat(viewer):
        return pledges
    public = Q(status__in=[PledgeStatus.PUBLISHED, PledgeStatus.WITHDRAWN])
    if not getattr(viewer, "is_authenticated", False):
        return pledges.filter(public)
    mine = Membership.objects.filter(person=viewer, status=MembershipStatus.ACTIVE).values("organisation_id")
    return pledges.filter(public | Q(endorsement__organisation_id__in=mine))


def endorsements_list(*, viewer: Any, endorser_type: str = "", country: str = "") -> QuerySet[Endorsement]:
    """Every endorser of the Charter (public), typed and located by its organisation."""
    endorsements = Endorsement.objects.select_related("organisation")
    if endorser_type:
        endorsements = endorsements.filter(organisation__type=endorser_type)
    if country:
        endorsements = endorsements.filter(organisation__country=country.upper())
    return endorsements.order_by("organisation__name", "pk")


def endorsement_get(*, viewer: Any, organisation_slug: str) -> Endorsement:
    endorsement = Endorsement.objects.select_related("organisation").filter(organisation__slug=organisation_slug).first()
    if endorsement is None:
        raise EndorsementNotFound(organisation_slug)
    return endorsement


def _good_pk(good: Any) -> int | None:
    if good is None or good == "":
        return None
    return good.pk if isinstance(good, Good) else int(good)


def pledges_list(
    *, viewer: Any, endorsement: Endorsement | None = None, country: str = "", good: Any = None, type: str = "",
    outcome: str = "", status: str = "",
) -> QuerySet[Pledge]:
    """The pledges ``viewer`` may see, filtered: by endorser, country concerned, good (a Good or its id), grid
    type or outcome, status."""
    pledges = _visible(Pledge.objects.all(), viewer).select_related("endorsement__organisation")
    if endorsement is not None:
        pledges = pledges.filter(endorsement=endorsement)
    if country:
        pledges = pledges.filter(Exists(PledgeCountry.objects.filter(pledge=OuterRef("pk"), country=country.upper())))
    good_pk = _good_pk(good)
    if good_pk is not None:
        pledges = pledges.filter(Exists(Pledge.goods.through.objects.filter(pledge_id=OuterRef("pk"), good_id=good_pk)))
    if type or outcome:
        cells = PledgeCell.objects.filter(pledge=OuterRef("pk"))
        if type:
            cells = cells.filter(type=type)
        if outcome:
            cells = cells.filter(outcome=outcome)
        pledges = pledges.filter(Exists(cells))
    if status:
        pledges = pledges.filter(status=status)
    return pledges.order_by("-pledged_on", "ref")


def pledge_get(*, viewer: Any, ref: str) -> Pledge:
    """One pledge by its ref; a draft the viewer may not see is not found."""
    pledge = _visible(Pledge.objects.filter(ref=ref), viewer).select_related("endorsement__organisation").first()
    if pledge is None:
        raise PledgeNotFound(ref)
    return pledge


def pledge_targets(*, pledge: Pledge) -> QuerySet[Target]:
    return pledge.targets.prefetch_related("milestones").order_by("id")


def pledge_reports(*, viewer: Any, pledge: Pledge) -> QuerySet[ProgressReport]:
    """The progress reports of a pledge the viewer may see (``pledge`` comes from :func:`pledge_get`)."""
    return (ProgressReport.objects.filter(target__pledge=pledge).select_related("target")
            .order_by("target_id", "reported_on", "id"))


def report_get(*, viewer: Any, report_id: int) -> ProgressReport:
    """One progress report; one of a pledge the viewer may not see is not found."""
    report = (ProgressReport.objects.select_related("target__pledge__endorsement__organisation")
              .filter(pk=report_id).first())
    if report is None or not _visible(Pledge.objects.filter(pk=report.target.pledge_id), viewer).exists():
        raise ReportNotFound(report_id)
    return report


def pledge_ratings(*, pledge: Pledge) -> QuerySet[Rating]:
    return pledge.ratings.order_by("-rated_on", "-id")


# -- a pledge's state ----------------------------------------------------------------------------------

def _period() -> int:
    return int(settings.DPGHUB_CHARTER_REPORTING_PERIOD_DAYS)


def reporting_light(*, last_seen: dt.date, as_of: dt.date, period_days: int | None = None) -> ReportingLight:
    """Green up to one period after ``last_seen`` (the latest report, or the pledge's date), amber (due) up to
    two, red (overdue) up to three, inactive after."""
    period = period_days or _period()
    age = (as_of - last_seen).days
    if age <= period:
        return ReportingLight.GREEN
    if age <= 2 * period:
        return ReportingLight.AMBER
    if age <= 3 * period:
        return ReportingLight.RED
    return ReportingLight.INACTIVE


@dataclass(frozen=True)
class TargetState:
    target: Target
    latest: ProgressReport | None
    verified: ProgressReport | None
    is_late: bool


@dataclass(frozen=True)
class PledgeState:
    as_of: dt.date
    light: ReportingLight
    last_reported_on: dt.date | None
    due_on: dt.date
    is_late: bool
    is_completed: bool
    targets: list[TargetState] = field(default_factory=list)


def _verified_by(report: ProgressReport, as_of: dt.date) -> bool:
    return (report.verification == Verification.VERIFIED
            and (report.verified_at is None or timezone.localdate(report.verified_at) <= as_of))


def pledge_state(*, pledge: Pledge, as_of: dt.date | None = None) -> PledgeState:
    """Where a pledge stands as of a date: its light, lateness, completion and each target's latest and
    verified reports (two queries)."""
    as_of = as_of or timezone.localdate()
    targets = list(pledge.targets.order_by("id"))
    reports: dict[int, list[ProgressReport]] = {t.pk: [] for t in targets}
    for report in ProgressReport.objects.filter(target__pledge=pledge, reported_on__lte=as_of).order_by("reported_on", "id"):
        reports[report.target_id].append(report)
    states = []
    for target in targets:
        own = reports[target.pk]
        latest = own[-1] if own else None
        verified = next((r for r in reversed(own) if _verified_by(r, as_of)), None)
        late = (target.deadline is not None and target.deadline < as_of
                and (latest is None or latest.status != TargetStatus.COMPLETED))
        states.append(TargetState(target=target, latest=latest, verified=verified, is_late=late))
    last = max((s.latest.reported_on for s in states if s.latest is not None), default=None)
    last_seen = last or pledge.pledged_on
    return PledgeState(
        as_of=as_of, light=reporting_light(last_seen=last_seen, as_of=as_of), last_reported_on=last,
        due_on=last_seen + dt.timedelta(days=_period()),
        is_late=any(s.is_late for s in states),
        is_completed=bool(states) and all(s.latest is not None and s.latest.status == TargetStatus.COMPLETED
                                          for s in states),
        targets=states,
    )


def pledges_due_for_report(*, today: dt.date, until: dt.date) -> list[tuple[Pledge, dt.date]]:
    """Published pledges whose next report falls due between ``today`` and ``until`` (inclusive), with the due
    date (one query: the pledge's last report date is aggregated in the database)."""
    period = dt.timedelta(days=_period())
    last = (ProgressReport.objects.filter(target__pledge=OuterRef("pk"), reported_on__lte=today)
            .values("target__pledge").annotate(last=Max("reported_on")).values("last"))
    pledges = (Pledge.objects.filter(status=PledgeStatus.PUBLISHED, pledged_on__lte=today)
               .annotate(last_seen=Coalesce(Subquery(last, output_field=DateField()), F("pledged_on")))
               .filter(last_seen__gte=today - period, last_seen__lte=until - period)
               .select_related("endorsement__organisation").order_by("pk"))
    due = []
    for pledge in pledges:
        due_on = pledge.last_seen + period
        if pledge.reminded_for != due_on:
            due.append((pledge, due_on))
    return due


# -- the grid ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FinanceLine:
    """Money pledged and reported in one currency (never summed across currencies)."""

    currency: str
    pledged: decimal.Decimal
    reported: decimal.Decimal
    reported_verified: decimal.Decimal


@dataclass(frozen=True)
class Cell:
    type: PledgeType
    outcome: Outcome
    pledges: int
    endorsers: int
    finance: list[FinanceLine]
    completed: int
    late: int
    overdue: int
    gap: Gap


@dataclass(frozen=True)
class Totals:
    """The whole grid, each pledge counted once."""

    pledges: int
    endorsers: int
    finance: list[FinanceLine]
    completed: int
    late: int
    overdue: int


@dataclass(frozen=True)
class Grid:
    as_of: dt.date
    cells: list[Cell]
    totals: Totals

    def cell(self, type: str, outcome: str) -> Cell:
        return next(c for c in self.cells if c.type == type and c.outcome == outcome)


def _latest_reports(target_ref: str, as_of: dt.date) -> QuerySet[ProgressReport]:
    return (ProgressReport.objects.filter(target_id=OuterRef(target_ref), reported_on__lte=as_of)
            .order_by("-reported_on", "-id"))


def _verified_reports(target_ref: str, as_of: dt.date) -> QuerySet[ProgressReport]:
    return _latest_reports(target_ref, as_of).filter(
        Q(verified_at__isnull=True) | Q(verified_at__lt=_day_after(as_of)), verification=Verification.VERIFIED)


def _day_after(as_of: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time.min))


def _counted(*, as_of: dt.date, country: str, endorser_type: str, good: Any, endorsement: Any) -> QuerySet[Pledge]:
    """The pledges the grid counts as of ``as_of``, filtered."""
    pledges = Pledge.objects.filter(
        Q(status=PledgeStatus.PUBLISHED) | Q(status=PledgeStatus.WITHDRAWN, withdrawn_at__gte=_day_after(as_of)),
        pledged_on__lte=as_of)
    if country:
        pledges = pledges.filter(Exists(PledgeCountry.objects.filter(pledge=OuterRef("pk"), country=country.upper())))
    if endorser_type:
        pledges = pledges.filter(endorsement__organisation__type=endorser_type)
    if endorsement is not None:
        pledges = pledges.filter(endorsement=endorsement)
    good_pk = _good_pk(good)
    if good_pk is not None:
        pledges = pledges.filter(Exists(Pledge.goods.through.objects.filter(pledge_id=OuterRef("pk"), good_id=good_pk)))
    return pledges


def _flags(pledge_ref: str, pledged_on: str, as_of: dt.date) -> dict[str, Any]:
    """Annotations of a pledge (``pledge_ref`` names its id in the outer query) as of ``as_of``."""
    latest_status = Coalesce(Subquery(_latest_reports("pk", as_of).values("status")[:1]), Value(""))
    targets = Target.objects.filter(pledge_id=OuterRef(pledge_ref))
    unfinished = targets.annotate(latest_status=latest_status).exclude(latest_status=TargetStatus.COMPLETED)
    last = (ProgressReport.objects.filter(target__pledge_id=OuterRef(pledge_ref), reported_on__lte=as_of)
            .order_by("-reported_on").values("reported_on")[:1])
    delivered = ProgressReport.objects.filter(target__pledge_id=OuterRef(pledge_ref), reported_on__lte=as_of).filter(
        Q(status=TargetStatus.COMPLETED) | Q(value__gt=Coalesce(F("target__baseline"), Value(decimal.Decimal(0)))))
    return {
        "is_late": Exists(unfinished.filter(deadline__lt=as_of)),
        "is_completed": Exists(targets) & ~Exists(unfinished),
        "is_delivered": Exists(delivered),
        "last_seen": Coalesce(Subquery(last, output_field=DateField()), F(pledged_on)),
    }


def _counts(pledge_ref: str, endorsement_ref: str, overdue_before: dt.date) -> dict[str, Any]:
    return {
        "n_pledges": Count(pledge_ref, distinct=True),
        "n_endorsers": Count(endorsement_ref, distinct=True),
        "n_completed": Count(pledge_ref, filter=Q(is_completed=True), distinct=True),
        "n_late": Count(pledge_ref, filter=Q(is_late=True), distinct=True),
        "n_overdue": Count(pledge_ref, filter=Q(last_seen__lt=overdue_before), distinct=True),
        "n_delivered": Count(pledge_ref, filter=Q(is_delivered=True), distinct=True),
    }


def _money(value: Any) -> decimal.Decimal:
    return decimal.Decimal(str(value or 0)).quantize(_CENT)


def _finance(rows: list[dict[str, Any]]) -> list[FinanceLine]:
    return [FinanceLine(currency=row["currency"], pledged=_money(row["pledged"]), reported=_money(row["reported"]),
                        reported_verified=_money(row["reported_verified"]))
            for row in sorted(rows, key=lambda r: r["currency"])]


def charter_grid(
    *, viewer: Any, as_of: dt.date | None = None, country: str = "", endorser_type: str = "", good: Any = None,
    endorsement: Endorsement | None = None,
) -> Grid:
    """The 3 x 5 grid as of ``as_of`` (default today): 15 cells in type x outcome order, and the totals.

    Filters make the per-country (pledges concerning the country), per-endorser-type, per-endorser and
    per-good views; ``as_of`` in the past shows the grid as it stood that day. Only published pledges count,
    so the grid is the same for every viewer.
    """
    as_of = as_of or timezone.localdate()
    counted = _counted(as_of=as_of, country=country, endorser_type=endorser_type, good=good, endorsement=endorsement)
    overdue_before = as_of - dt.timedelta(days=2 * _period())
    counted_ids = counted.values("pk")

    cell_rows = (PledgeCell.objects.filter(pledge_id__in=counted_ids)
                 .annotate(**_flags("pledge_id", "pledge__pledged_on", as_of))
                 .values("type", "outcome").order_by("type", "outcome")
                 .annotate(**_counts("pledge_id", "pledge__endorsement_id", overdue_before)))
    by_cell = {(row["type"], row["outcome"]): row for row in cell_rows}

    totals_row = (Pledge.objects.filter(pk__in=counted_ids).annotate(**_flags("pk", "pledged_on", as_of))
                  .aggregate(**_counts("pk", "endorsement_id", overdue_before)))

    money = (Target.objects.filter(pledge_id__in=counted_ids).exclude(currency="")
             .annotate(latest_value=Subquery(_latest_reports("pk", as_of).values("value")[:1], output_field=_MONEY),
                       verified_value=Subquery(_verified_reports("pk", as_of).values("value")[:1], output_field=_MONEY)))
    sums = {"pledged": Sum("target_value", output_field=_MONEY), "reported": Sum("latest_value", output_field=_MONEY),
            "reported_verified": Sum("verified_value", output_field=_MONEY)}
    finance_by_cell: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in (money.values("pledge__cells__type", "pledge__cells__outcome", "currency")
                .order_by("pledge__cells__type", "pledge__cells__outcome", "currency").annotate(**sums)):
        finance_by_cell.setdefault((row["pledge__cells__type"], row["pledge__cells__outcome"]), []).append(row)
    finance_totals = list(money.values("currency").order_by("currency").annotate(**sums))

    cells = []
    for type_ in PledgeType:
        for outcome in Outcome:
            row = by_cell.get((type_.value, outcome.value), {})
            pledges = row.get("n_pledges", 0)
            gap = (Gap.NO_PLEDGE if not pledges else Gap.NOTHING_DELIVERED if not row.get("n_delivered") else Gap.NONE)
            cells.append(Cell(type=type_, outcome=outcome, pledges=pledges, endorsers=row.get("n_endorsers", 0),
                              finance=_finance(finance_by_cell.get((type_.value, outcome.value), [])),
                              completed=row.get("n_completed", 0), late=row.get("n_late", 0),
                              overdue=row.get("n_overdue", 0), gap=gap))
    totals = Totals(pledges=totals_row["n_pledges"], endorsers=totals_row["n_endorsers"],
                    finance=_finance(finance_totals), completed=totals_row["n_completed"], late=totals_row["n_late"],
                    overdue=totals_row["n_overdue"])
    return Grid(as_of=as_of, cells=cells, totals=totals)


def good_ids_for(*, slugs: list[str]) -> list[int]:
    """The ids of the registered goods named by ``slugs`` (for pledges given by slug); an unknown one is refused."""
    wanted = list(dict.fromkeys(slugs))
    found = dict(Good.objects.filter(slug__in=wanted).values_list("slug", "pk"))
    missing = [slug for slug in wanted if slug not in found]
    if missing:
        raise InvalidCharterInput(_("No registered good “%(slug)s”.") % {"slug": missing[0]}, field="goods")
    return [found[slug] for slug in wanted]
