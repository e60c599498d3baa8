"""The 3 x 5 grid in one SQL query, whatever the number of pledges and reports.

Definitions (ARCHITECTURE.md, "Charter"), all as of a date:

- a pledge is **counted** when it is published (or was withdrawn after the date) and was made on or before it;
- a target's **latest report** is its report with the latest ``reported_on`` not after the date; its
  **verified report** the latest such report that the secretariat verified on or before the date;
- a pledge is **late** when a target's deadline is before the date and the target's latest report is not
  "completed" (or there is none); **completed** when it has targets and every latest report is "completed";
- **overdue**: the pledge's latest report (or, never reported, the day it was made) is more than two
  reporting periods old (light red or inactive);
- a cell's **gap**: no pledge, or nothing delivered (no latest report of its pledges' targets is "completed"
  or above the target's baseline, 0 without one);
- **finance**: per currency, the sum of money targets' values (``pledged``), of their latest reported values
  (``reported``, verified or not) and of their verified values (``reported_verified``).

How it scales: the query reads the counted pledges once (the ORM's own filter, embedded), finds each of
their targets' latest and verified report with a correlated ``LIMIT 1`` on the (target, reported_on) index,
folds targets into one row per pledge, then aggregates per cell and in total, all in the database (a CTE,
evaluated once). The same SQL on SQLite and PostgreSQL but for that lookup: PostgreSQL reads each
target's reports with ``LEFT JOIN LATERAL`` (one index probe returns every column), SQLite, which has no
LATERAL, with correlated subqueries for the reports' ids joined on the primary key.
"""

from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from dpghub.catalog.models import Good
from dpghub.charter.enums import Gap, Outcome, PledgeStatus, PledgeType, TargetStatus, Verification
from dpghub.charter.models import Pledge, PledgeCell, PledgeCountry, ProgressReport, Target
from dpghub.charter.state import charter_stamp

_CENT = decimal.Decimal("0.01")
GRID_CACHE_VERSION = 1  # raise when Grid's fields change (cached grids are pickled)
GRID_CACHE_SECONDS = 24 * 3600


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
    includes_sample: bool = False

    def cell(self, type: str, outcome: str) -> Cell:
        return next(c for c in self.cells if c.type == type and c.outcome == outcome)


def day_after(as_of: dt.date) -> dt.datetime:
    """The first instant after ``as_of`` (for "on or before the date" on date-times)."""
    return timezone.make_aware(dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time.min))


def good_pk(good: Any) -> int | None:
    if good is None or good == "":
        return None
    return good.pk if isinstance(good, Good) else int(good)


def counted_pledges(*, as_of: dt.date, country: str = "", endorser_type: str = "", good: Any = None,
                    endorsement: Any = None, include_sample: bool = False) -> QuerySet[Pledge]:
    """The pledges the grid counts as of ``as_of``, filtered; sample pledges only when ``include_sample``."""
    pledges = Pledge.objects.filter(
        Q(status=PledgeStatus.PUBLISHED) | Q(status=PledgeStatus.WITHDRAWN, withdrawn_at__gte=day_after(as_of)),
        pledged_on__lte=as_of)
    if not include_sample:
        pledges = pledges.filter(is_sample=False)
    if country:
        pledges = pledges.filter(Exists(PledgeCountry.objects.filter(pledge=OuterRef("pk"), country=country.upper())))
    if endorser_type:
        pledges = pledges.filter(endorsement__organisation__type=endorser_type)
    if endorsement is not None:
        pledges = pledges.filter(endorsement=endorsement)
    pk = good_pk(good)
    if pk is not None:
        pledges = pledges.filter(Exists(Pledge.goods.through.objects.filter(pledge_id=OuterRef("pk"), good_id=pk)))
    return pledges


def _target_state_sql(report: str, target: str, *, maintained: bool) -> str:
    """One row per counted target with its latest and verified report's columns.

    ``maintained``: the grid stands as of today or later, so the targets' maintained state
    (:mod:`dpghub.charter.state`) is exactly their latest and verified report, and no report is read.

    PostgreSQL reads each report with one index probe per target (LEFT JOIN LATERAL); SQLite, which has no
    LATERAL, finds the reports' ids with correlated subqueries and joins them on the primary key.
    """
    where = "r.target_id = t.id AND r.reported_on <= %(as_of)s"
    verified = "AND r.verification = %(verified)s AND (r.verified_at IS NULL OR r.verified_at < %(day_after)s)"
    order = "ORDER BY r.reported_on DESC LIMIT 1"  # one report per target and day
    if maintained:
        # PostgreSQL hash-joins the targets to the counted pledges; SQLite probes the (pledge) index per pledge.
        join = ("JOIN counted c ON c.id = t.pledge_id" if connection.vendor == "postgresql"
                else "WHERE t.pledge_id IN (SELECT id FROM counted)")
        return f"""
target_state AS (
  SELECT t.id, t.pledge_id, t.currency, t.target_value, t.baseline, t.deadline,
         t.latest_value, NULLIF(t.latest_status, '') AS latest_status, t.latest_on, t.verified_value
  FROM {target} t {join}
),"""
    if connection.vendor == "postgresql":
        return f"""
target_state AS (
  SELECT t.id, t.pledge_id, t.currency, t.target_value, t.baseline, t.deadline,
         lr.value AS latest_value, lr.status AS latest_status, lr.reported_on AS latest_on,
         vr.value AS verified_value
  FROM {target} t
  LEFT JOIN LATERAL (SELECT r.value, r.status, r.reported_on FROM {report} r WHERE {where} {order}) lr ON TRUE
  LEFT JOIN LATERAL (SELECT r.value FROM {report} r WHERE {where} {verified} {order}) vr ON TRUE
  WHERE t.pledge_id IN (SELECT id FROM counted)
),"""
    return f"""
targets AS (
  SELECT t.id, t.pledge_id, t.currency, t.target_value, t.baseline, t.deadline,
         (SELECT r.id FROM {report} r WHERE {where} {order}) AS latest_id,
         (SELECT r.id FROM {report} r WHERE {where} {verified} {order}) AS verified_id
  FROM {target} t WHERE t.pledge_id IN (SELECT id FROM counted)
),
target_state AS (
  SELECT s.id, s.pledge_id, s.currency, s.target_value, s.baseline, s.deadline,
         lr.value AS latest_value, lr.status AS latest_status, lr.reported_on AS latest_on,
         vr.value AS verified_value
  FROM targets s LEFT JOIN {report} lr ON lr.id = s.latest_id LEFT JOIN {report} vr ON vr.id = s.verified_id
),"""


def _sql(*, maintained: bool) -> str:
    report, target, cell = ProgressReport._meta.db_table, Target._meta.db_table, PledgeCell._meta.db_table
    no_money = "CAST(NULL AS DECIMAL), CAST(NULL AS DECIMAL), CAST(NULL AS DECIMAL)"
    return f"""
WITH counted (id, endorsement_id, pledged_on) AS ({{counted}}),{_target_state_sql(report, target, maintained=maintained)}
pledge_state AS (
  SELECT c.id, c.endorsement_id,
         CASE WHEN COALESCE(MAX(s.latest_on), c.pledged_on) < %(overdue_before)s THEN 1 ELSE 0 END AS overdue,
         MAX(CASE WHEN s.deadline < %(as_of)s AND (s.latest_status IS NULL OR s.latest_status <> %(completed)s)
                  THEN 1 ELSE 0 END) AS late,
         CASE WHEN COUNT(s.id) > 0 AND MIN(CASE WHEN s.latest_status = %(completed)s THEN 1 ELSE 0 END) = 1
              THEN 1 ELSE 0 END AS completed,
         MAX(CASE WHEN s.latest_status = %(completed)s OR s.latest_value > COALESCE(s.baseline, 0)
                  THEN 1 ELSE 0 END) AS delivered
  FROM counted c LEFT JOIN target_state s ON s.pledge_id = c.id
  GROUP BY c.id, c.endorsement_id, c.pledged_on
)
SELECT 'cell', g.type, g.outcome, NULL, COUNT(*), COUNT(DISTINCT p.endorsement_id), SUM(p.completed), SUM(p.late),
       SUM(p.overdue), SUM(p.delivered), {no_money}
  FROM pledge_state p JOIN {cell} g ON g.pledge_id = p.id GROUP BY g.type, g.outcome
UNION ALL
SELECT 'total', NULL, NULL, NULL, COUNT(*), COUNT(DISTINCT p.endorsement_id), SUM(p.completed), SUM(p.late),
       SUM(p.overdue), SUM(p.delivered), {no_money}
  FROM pledge_state p
UNION ALL
SELECT 'money', g.type, g.outcome, s.currency, NULL, NULL, NULL, NULL, NULL, NULL,
       SUM(s.target_value), SUM(s.latest_value), SUM(s.verified_value)
  FROM target_state s CROSS JOIN {cell} g WHERE g.pledge_id = s.pledge_id AND s.currency <> ''
  GROUP BY g.type, g.outcome, s.currency  -- CROSS JOIN: SQLite keeps this order (the counted targets first)
UNION ALL
SELECT 'money', NULL, NULL, s.currency, NULL, NULL, NULL, NULL, NULL, NULL,
       SUM(s.target_value), SUM(s.latest_value), SUM(s.verified_value)
  FROM target_state s WHERE s.currency <> '' GROUP BY s.currency
"""


def _money(value: Any) -> decimal.Decimal:
    return decimal.Decimal(str(value or 0)).quantize(_CENT)


def charter_grid(
    *, viewer: Any, as_of: dt.date | None = None, country: str = "", endorser_type: str = "", good: Any = None,
    endorsement: Any = None, include_sample: bool = False,
) -> Grid:
    """The 3 x 5 grid as of ``as_of`` (default today): 15 cells in type x outcome order, and the totals.

    Filters make the per-country (pledges concerning the country), per-endorser-type, per-endorser and
    per-good views; ``as_of`` in the past shows the grid as it stood that day. Only published pledges count,
    so the grid is the same for every viewer. Sample data (``dpghub charter sample``) counts only when
    ``include_sample``; the grid then says whether it holds any (``includes_sample``).

    Cached per (filters, date) under the Charter stamp, which every Charter write raises in its transaction
    (:mod:`dpghub.charter.state`): two quick queries on a hit (the stamp, the cache), one aggregate on a miss.
    """
    as_of = as_of or timezone.localdate()
    stamp = charter_stamp()  # first: a write committed after this only makes the cached grid newer
    endorsement_pk = getattr(endorsement, "pk", endorsement)
    key = ":".join(str(part) for part in (
        "charter-grid", GRID_CACHE_VERSION, stamp, as_of.isoformat(), timezone.localdate().isoformat(),
        country.upper(), endorser_type, good_pk(good) or "", endorsement_pk or "", int(include_sample),
        settings.DPGHUB_CHARTER_REPORTING_PERIOD_DAYS))
    grid = cache.get(key)
    if grid is None:
        grid = grid_compute(as_of=as_of, country=country, endorser_type=endorser_type, good=good,
                            endorsement=endorsement, include_sample=include_sample)
        cache.set(key, grid, GRID_CACHE_SECONDS)
    return grid


def grid_compute(
    *, as_of: dt.date, country: str = "", endorser_type: str = "", good: Any = None, endorsement: Any = None,
    include_sample: bool = False, maintained: bool | None = None,
) -> Grid:
    """The grid computed in one query (no cache). From today on it reads the targets' maintained state;
    before today it looks the reports up (``maintained=False`` forces the lookup, for tests and benchmarks)."""
    if maintained is None:
        maintained = as_of >= timezone.localdate()
    counted = counted_pledges(as_of=as_of, country=country, endorser_type=endorser_type, good=good,
                              endorsement=endorsement, include_sample=include_sample)
    counted_sql, counted_params = counted.values_list("id", "endorsement_id", "pledged_on").order_by().query.sql_with_params()
    ops = connection.ops
    named = {
        "as_of": ops.adapt_datefield_value(as_of),
        "overdue_before": ops.adapt_datefield_value(
            as_of - dt.timedelta(days=2 * int(settings.DPGHUB_CHARTER_REPORTING_PERIOD_DAYS))),
        "day_after": ops.adapt_datetimefield_value(day_after(as_of)),
        "completed": TargetStatus.COMPLETED.value,
        "verified": Verification.VERIFIED.value,
    }
    # The embedded ORM query uses positional %s; turn the named parameters positional in order of use.
    template = _sql(maintained=maintained)
    head, _sep, tail = template.partition("{counted}")
    params: list[Any] = []
    sql_parts = []
    for part, embedded in ((head, None), (None, counted_sql), (tail, None)):
        if embedded is not None:
            sql_parts.append(embedded)
            params.extend(counted_params)
            continue
        pieces = part.split("%(")
        sql_parts.append(pieces[0])
        for piece in pieces[1:]:
            name, _close, rest = piece.partition(")s")
            params.append(named[name])
            sql_parts.append("%s" + rest)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with transaction.atomic():  # room for the sorts and hashes of 100,000s of rows, this query only
                cursor.execute("SET LOCAL work_mem = '64MB'")
                cursor.execute("".join(sql_parts), params)
                rows = cursor.fetchall()
        else:
            cursor.execute("".join(sql_parts), params)
            rows = cursor.fetchall()

    counts: dict[tuple[str, str] | None, tuple] = {}
    finance: dict[tuple[str, str] | None, list[FinanceLine]] = {}
    for kind, type_, outcome, currency, *numbers in rows:
        key = (type_, outcome) if type_ is not None else None
        if kind == "money":
            pledged, reported, verified = numbers[6:]
            finance.setdefault(key, []).append(FinanceLine(currency=currency, pledged=_money(pledged),
                                                           reported=_money(reported),
                                                           reported_verified=_money(verified)))
        else:
            counts[key] = tuple(int(n or 0) for n in numbers[:6])
    for lines in finance.values():
        lines.sort(key=lambda line: line.currency)

    cells = []
    for type_ in PledgeType:
        for outcome in Outcome:
            key = (type_.value, outcome.value)
            pledges, endorsers, completed, late, overdue, delivered = counts.get(key, (0, 0, 0, 0, 0, 0))
            gap = Gap.NO_PLEDGE if not pledges else Gap.NOTHING_DELIVERED if not delivered else Gap.NONE
            cells.append(Cell(type=type_, outcome=outcome, pledges=pledges, endorsers=endorsers,
                              finance=finance.get(key, []), completed=completed, late=late, overdue=overdue, gap=gap))
    pledges, endorsers, completed, late, overdue, _delivered = counts.get(None, (0, 0, 0, 0, 0, 0))
    totals = Totals(pledges=pledges, endorsers=endorsers, finance=finance.get(None, []), completed=completed,
                    late=late, overdue=overdue)
    includes_sample = include_sample and counted.filter(is_sample=True).exists()
    return Grid(as_of=as_of, cells=cells, totals=totals, includes_sample=includes_sample)
