"""Reads of the Charter framework, for a given viewer, and the numbers of the 3 x 5 grid.

Endorsements and published (or withdrawn) pledges are public. A draft is seen only by the members of the
endorsing organisation and the secretariat; to anyone else it does not exist (not found, never forbidden).

The grid (:func:`charter_grid`, its dataclasses and its definitions) lives in :mod:`dpghub.charter.grid`
and is re-exported here: reads go through this module.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import (
    DateField,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from dpghub.catalog.models import Good
from dpghub.charter.enums import (
    PledgeStatus,
    ReportingLight,
    TargetStatus,
    Verification,
)
from dpghub.charter.errors import EndorsementNotFound, InvalidCharterInput, PledgeNotFound, ReportNotFound
from dpghub.charter.grid import Cell as Cell  # re-exported: the grid is read through this module
from dpghub.charter.grid import FinanceLine as FinanceLine
from dpghub.charter.grid import Grid as Grid
from dpghub.charter.grid import Totals as Totals
from dpghub.charter.grid import charter_grid as charter_grid
from dpghub.charter.grid import good_pk
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

# -- visibility ----------------------------------------------------------------------------------------

def _visible(pledges: QuerySet[Pledge], viewer: Any) -> QuerySet[Pledge]:
    if is_secretariat(viewer):
        return pledges
    public = Q(status__in=[PledgeStatus.PUBLISHED, PledgeStatus.WITHDRAWN])
    if not getattr(viewer, "is_authenticated", False):
        return pledges.filter(public)
    mine = Membership.objects.filter(person=viewer, status=MembershipStatus.ACTIVE).values("organisation_id")
    return pledges.filter(public | Q(endorsement__organisation_id__in=mine))


def sample_exists() -> bool:
    """Whether the database holds sample data (``dpghub charter sample``): views offer to include it.

    ``is_sample__in=[True]`` is ``is_sample IN (1)``, which SQLite answers from the index; the bare boolean
    that ``is_sample=True`` becomes makes it scan every pledge."""
    return (Endorsement.objects.filter(is_sample__in=[True]).exists()
            or Pledge.objects.filter(is_sample__in=[True]).exists())


def goods_with_pledges() -> list[Good]:
    """The goods that published pledges concern (for the grid's filter): each good probes its links, so the
    cost follows the registry, not the 100,000s of pledges."""
    linked = Pledge.goods.through.objects.filter(good_id=OuterRef("pk"), pledge__status=PledgeStatus.PUBLISHED)
    return list(Good.objects.filter(Exists(linked)).order_by("name").only("slug", "name"))


def endorsements_list(*, viewer: Any, endorser_type: str = "", country: str = "",
                      include_sample: bool = False) -> QuerySet[Endorsement]:
    """Every endorser of the Charter (public), typed and located by its organisation; sample endorsers only when
    ``include_sample``."""
    endorsements = Endorsement.objects.select_related("organisation")
    if not include_sample:
        endorsements = endorsements.filter(is_sample=False)
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


def pledges_list(
    *, viewer: Any, endorsement: Endorsement | None = None, country: str = "", good: Any = None, type: str = "",
    outcome: str = "", status: str = "", include_sample: bool = False,
) -> QuerySet[Pledge]:
    """The pledges ``viewer`` may see, filtered: by endorser, country concerned, good (a Good or its id), grid
    type or outcome, status; sample pledges only when ``include_sample``."""
    pledges = _visible(Pledge.objects.all(), viewer).select_related("endorsement__organisation")
    if not include_sample:
        pledges = pledges.filter(is_sample=False)
    if endorsement is not None:
        pledges = pledges.filter(endorsement=endorsement)
    if country:
        pledges = pledges.filter(Exists(PledgeCountry.objects.filter(pledge=OuterRef("pk"), country=country.upper())))
    pk = good_pk(good)
    if pk is not None:
        pledges = pledges.filter(Exists(Pledge.goods.through.objects.filter(pledge_id=OuterRef("pk"), good_id=pk)))
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


def report_verification_as_of(*, report: ProgressReport, as_of: dt.date | None = None) -> Verification:
    """A report's verification as it stood on ``as_of`` (a report verified later was self-reported then)."""
    if as_of is None or report.verification != Verification.VERIFIED or _verified_by(report, as_of):
        return Verification(report.verification)
    return Verification.SELF_REPORTED


def pledge_state(*, pledge: Pledge, as_of: dt.date | None = None) -> PledgeState:
    """Where a pledge stands as of a date: its light, lateness, completion and each target's latest and
    verified reports (two queries)."""
    return pledges_states(pledges=[pledge], as_of=as_of)[pledge.pk]


def pledges_states(*, pledges: list[Pledge], as_of: dt.date | None = None) -> dict[int, PledgeState]:
    """:func:`pledge_state` of several pledges at once, by pledge id (two queries whatever their number)."""
    as_of = as_of or timezone.localdate()
    by_pledge: dict[int, list[Target]] = {p.pk: [] for p in pledges}
    for target in Target.objects.filter(pledge__in=list(by_pledge)).order_by("pledge_id", "id"):
        by_pledge[target.pledge_id].append(target)
    reports: dict[int, list[ProgressReport]] = {t.pk: [] for targets in by_pledge.values() for t in targets}
    # by target id: the (target, reported_on) index, never a scan of every report
    for report in (ProgressReport.objects.filter(target_id__in=list(reports), reported_on__lte=as_of)
                   .order_by("reported_on", "id")):
        reports[report.target_id].append(report)
    out = {}
    for pledge in pledges:
        states = []
        for target in by_pledge[pledge.pk]:
            own = reports[target.pk]
            latest = own[-1] if own else None
            verified = next((r for r in reversed(own) if _verified_by(r, as_of)), None)
            late = (target.deadline is not None and target.deadline < as_of
                    and (latest is None or latest.status != TargetStatus.COMPLETED))
            states.append(TargetState(target=target, latest=latest, verified=verified, is_late=late))
        last = max((s.latest.reported_on for s in states if s.latest is not None), default=None)
        last_seen = last or pledge.pledged_on
        out[pledge.pk] = PledgeState(
            as_of=as_of, light=reporting_light(last_seen=last_seen, as_of=as_of), last_reported_on=last,
            due_on=last_seen + dt.timedelta(days=_period()),
            is_late=any(s.is_late for s in states),
            is_completed=bool(states) and all(s.latest is not None and s.latest.status == TargetStatus.COMPLETED
                                              for s in states),
            targets=states,
        )
    return out


def pledges_latest_ratings(*, pledges: list[Pledge]) -> dict[int, Rating]:
    """Each pledge's latest rating (one query), by pledge id; a pledge never rated is absent."""
    latest: dict[int, Rating] = {}
    for rating in Rating.objects.filter(pledge__in=pledges).order_by("pledge_id", "-rated_on", "-id"):
        latest.setdefault(rating.pledge_id, rating)
    return latest


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


def good_ids_for(*, slugs: list[str]) -> list[int]:
    """The ids of the registered goods named by ``slugs`` (for pledges given by slug); an unknown one is refused."""
    wanted = list(dict.fromkeys(slugs))
    found = dict(Good.objects.filter(slug__in=wanted).values_list("slug", "pk"))
    missing = [slug for slug in wanted if slug not in found]
    if missing:
        raise InvalidCharterInput(_("No registered good “%(slug)s”.") % {"slug": missing[0]}, field="goods")
    return [found[slug] for slug in wanted]
