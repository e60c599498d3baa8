"""The 3 x 5 grid on a hand-computed fixture, its edges, and its fixed number of queries.

The fixture (period P = 100 days), as of 2024-12-31:

| pledge | endorser | cells | targets and reports (value, status, verified) |
|---|---|---|---|
| p1 | org (government, KE) | finance, design x products, capacity (4 cells) | t1 EUR 1000 due 2024-06-30: 03-01 300 verified 03-10, 07-01 1000 completed; t2 USD 500: 04-01 200 |
| p2 | other (foundation) | finance x products | t3 EUR 2000 due 2024-09-30: 05-01 500 delayed, verified 05-05 |
| p3 | third (academia) | learn x safeguards | t4 50 -> 100 people: 11-01 50 not started |
| p4 | org | finance x products | draft: never counted |
| p5 | other | finance x products | pledged 2025-01-15: after the date |
| p6 | third | finance x products | GBP 50, withdrawn 2024-06-01: counted before that day only |
| p7 | org | design x implementation | t7 3 systems due 2024-10-01: 09-01 3 completed |

p1: not late (t1 completed, t2 no deadline), not completed (t2), last report 07-01 = 183 days: amber.
p2: late (deadline passed, delayed), last report 05-01 = 244 days > 2P: red, overdue.
p3: nothing delivered (50 is not above the baseline 50), reported 60 days ago: green.
p7: completed, 121 days: amber.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dpghub.catalog.models import Good
from dpghub.charter.enums import Gap, Outcome, PledgeType, ReportingLight
from dpghub.charter.grid import grid_compute
from dpghub.charter.selectors import FinanceLine, charter_grid, pledge_state
from tests.charter.helpers import endorse, pledge, report, target

pytestmark = pytest.mark.usefixtures("period_100")

D = dt.date
END = D(2024, 12, 31)


@pytest.fixture
def period_100():
    with override_settings(DPGHUB_CHARTER_REPORTING_PERIOD_DAYS=100):
        yield


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def _money(currency, pledged, reported, verified):
    return FinanceLine(currency, Decimal(pledged), Decimal(reported), Decimal(verified))


@pytest.fixture
def fixture(world):
    a, b, c = endorse(world.org), endorse(world.other), endorse(world.third)
    good = Good.objects.create(slug="dhis2", name="DHIS2")
    p1 = pledge(a, "p1", types=("finance", "design-share-deploy"), outcomes=("products", "capacity"), countries=("KE",),
                goods=[good])
    t1 = target(p1, "funding", 1000, currency="EUR", deadline=D(2024, 6, 30))
    report(t1, D(2024, 3, 1), 300, verified=True, verified_at=_aware(D(2024, 3, 10)))
    report(t1, D(2024, 7, 1), 1000, "completed")
    report(target(p1, "grants", 500, currency="USD"), D(2024, 4, 1), 200)
    p2 = pledge(b, "p2", countries=("UG",), pledged_on=D(2024, 2, 1))
    report(target(p2, "fund", 2000, currency="EUR", deadline=D(2024, 9, 30)), D(2024, 5, 1), 500, "delayed",
           verified=True, verified_at=_aware(D(2024, 5, 5)))
    p3 = pledge(c, "p3", types=("learn-advocate",), outcomes=("safeguards-inclusion",), pledged_on=D(2024, 3, 1))
    report(target(p3, "people", 100, baseline=50, deadline=D(2025, 6, 30)), D(2024, 11, 1), 50, "not-started")
    target(pledge(a, "p4", status="draft"), "draft money", 99999, currency="EUR")
    target(pledge(b, "p5", pledged_on=D(2025, 1, 15)), "later money", 7, currency="EUR")
    target(pledge(c, "p6", pledged_on=D(2024, 1, 10), status="withdrawn", withdrawn_at=_aware(D(2024, 6, 1))),
           "pounds", 50, currency="GBP")
    p7 = pledge(a, "p7", types=("design-share-deploy",), outcomes=("implementation",), pledged_on=D(2024, 6, 15))
    report(target(p7, "systems", 3, deadline=D(2024, 10, 1)), D(2024, 9, 1), 3, "completed")
    return {"good": good, "p1": p1, "p2": p2, "p3": p3, "p7": p7}


def _numbers(cell):
    return (cell.pledges, cell.endorsers, cell.finance, cell.completed, cell.late, cell.overdue, cell.gap)


P1_ONLY = (1, 1, [_money("EUR", "1000", "1000", "300"), _money("USD", "500", "200", "0")], 0, 0, 0, Gap.NONE)


def test_grid_as_of_the_end_of_2024(fixture):
    grid = charter_grid(viewer=None, as_of=END)
    assert [(c.type, c.outcome) for c in grid.cells] == [(t, o) for t in PledgeType for o in Outcome]
    expected = {
        # p1 and p2; EUR and USD side by side, never summed
        ("finance", "products"): (2, 2, [_money("EUR", "3000", "1500", "800"), _money("USD", "500", "200", "0")],
                                  0, 1, 1, Gap.NONE),
        ("finance", "capacity"): P1_ONLY,
        ("design-share-deploy", "products"): P1_ONLY,
        ("design-share-deploy", "capacity"): P1_ONLY,
        ("design-share-deploy", "implementation"): (1, 1, [], 1, 0, 0, Gap.NONE),
        ("learn-advocate", "safeguards-inclusion"): (1, 1, [], 0, 0, 0, Gap.NOTHING_DELIVERED),
    }
    for cell in grid.cells:
        assert _numbers(cell) == expected.get((cell.type, cell.outcome), (0, 0, [], 0, 0, 0, Gap.NO_PLEDGE)), cell
    # p1 counts in four cells and once here
    assert (grid.totals.pledges, grid.totals.endorsers, grid.totals.completed, grid.totals.late,
            grid.totals.overdue) == (4, 3, 1, 1, 1)
    assert grid.totals.finance == [_money("EUR", "3000", "1500", "800"), _money("USD", "500", "200", "0")]


def test_grid_in_the_past_hides_later_reports_and_pledges(fixture):
    grid = charter_grid(viewer=None, as_of=D(2024, 5, 31))
    # p1 (300 verified, 200), p2 (500 verified), p6 (not yet withdrawn); p7 not yet made
    assert _numbers(grid.cell("finance", "products")) == (
        3, 3, [_money("EUR", "3000", "800", "800"), _money("GBP", "50", "0", "0"), _money("USD", "500", "200", "0")],
        0, 0, 0, Gap.NONE)
    assert grid.cell("design-share-deploy", "implementation").gap == Gap.NO_PLEDGE
    # p3 has no report yet: nothing delivered
    assert grid.cell("learn-advocate", "safeguards-inclusion").gap == Gap.NOTHING_DELIVERED
    assert (grid.totals.pledges, grid.totals.endorsers, grid.totals.late, grid.totals.overdue) == (4, 3, 0, 0)
    # p2's report of 05-01 was verified on 05-05: self-reported until then
    early = charter_grid(viewer=None, as_of=D(2024, 5, 3))
    assert early.cell("finance", "products").finance[0] == _money("EUR", "3000", "800", "300")


def test_grid_filters(fixture):
    kenya = charter_grid(viewer=None, as_of=END, country="ke")
    assert (kenya.totals.pledges, kenya.cell("finance", "products").pledges) == (1, 1)
    foundations = charter_grid(viewer=None, as_of=END, endorser_type="foundation")
    assert _numbers(foundations.cell("finance", "products")) == (
        1, 1, [_money("EUR", "2000", "500", "500")], 0, 1, 1, Gap.NONE)
    by_good = charter_grid(viewer=None, as_of=END, good=fixture["good"])
    assert by_good.totals.pledges == 1 and by_good.cell("finance", "capacity").pledges == 1
    by_endorser = charter_grid(viewer=None, as_of=END, endorsement=fixture["p7"].endorsement)
    assert (by_endorser.totals.pledges, by_endorser.totals.completed) == (2, 1)


def test_pledge_state_agrees_with_the_grid(fixture):
    p1 = pledge_state(pledge=fixture["p1"], as_of=END)
    assert (p1.light, p1.last_reported_on, p1.is_late, p1.is_completed) == (
        ReportingLight.AMBER, D(2024, 7, 1), False, False)
    assert [(s.target.metric, s.latest.value, s.verified.value if s.verified else None) for s in p1.targets] == [
        ("funding", Decimal("1000.00"), Decimal("300.00")), ("grants", Decimal("200.00"), None)]
    p2 = pledge_state(pledge=fixture["p2"], as_of=END)
    assert (p2.light, p2.is_late, p2.due_on) == (ReportingLight.RED, True, D(2024, 8, 9))
    assert pledge_state(pledge=fixture["p7"], as_of=END).is_completed is True
    assert pledge_state(pledge=fixture["p3"], as_of=END).light == ReportingLight.GREEN


@pytest.mark.parametrize(("days", "light", "overdue"), [
    (100, ReportingLight.GREEN, 0), (101, ReportingLight.AMBER, 0), (200, ReportingLight.AMBER, 0),
    (201, ReportingLight.RED, 1), (300, ReportingLight.RED, 1), (301, ReportingLight.INACTIVE, 1),
])
def test_overdue_edges(world, days, light, overdue):
    made = pledge(endorse(world.org), "edge", pledged_on=D(2023, 1, 1))
    report(target(made, "people", 10), D(2024, 1, 1), 1)
    as_of = D(2024, 1, 1) + dt.timedelta(days=days)
    assert pledge_state(pledge=made, as_of=as_of).light == light
    assert charter_grid(viewer=None, as_of=as_of).totals.overdue == overdue


@pytest.mark.parametrize(("deadline", "status", "late"), [
    (D(2024, 3, 1), "on-track", 0),      # the deadline is today: not passed yet
    (D(2024, 2, 29), "on-track", 1),     # passed without completion
    (D(2024, 2, 29), "completed", 0),    # completed in time
    (D(2024, 2, 29), None, 1),           # passed and never reported
])
def test_late_edges(world, deadline, status, late):
    made = pledge(endorse(world.org), "edge", pledged_on=D(2024, 1, 1))
    goal = target(made, "people", 10, deadline=deadline)
    if status:
        report(goal, D(2024, 2, 1), 10, status)
    assert charter_grid(viewer=None, as_of=D(2024, 3, 1)).totals.late == late
    assert pledge_state(pledge=made, as_of=D(2024, 3, 1)).is_late is bool(late)


def _grid_queries(as_of=END):
    """The queries that read data (not a savepoint, nor PostgreSQL's per-query work_mem)."""
    with CaptureQueriesContext(connection) as queries:
        grid_compute(as_of=as_of)
    return len([q for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE", "SET "))])


def test_the_grid_takes_a_fixed_number_of_queries(world):
    endorsement = endorse(world.org)
    made = pledge(endorsement, "q1")
    report(target(made, "money", 10, currency="EUR"), D(2024, 2, 1), 1)
    one = _grid_queries()
    for ref in ("q2", "q3"):
        other = pledge(endorsement, ref, types=("finance", "learn-advocate"), outcomes=("products", "capacity"))
        report(target(other, "money", 10, currency="USD"), D(2024, 2, 1), 1)
        report(target(other, "people", 10), D(2024, 3, 1), 1)
    assert charter_grid(viewer=None, as_of=END).totals.pledges == 3
    assert _grid_queries() == one == 1
    assert _grid_queries(as_of=timezone.localdate()) == 1  # the maintained state: one query too


def test_a_cached_grid_costs_two_queries_and_every_write_drops_it(world):
    endorsement = endorse(world.org)
    made = pledge(endorsement, "c1")
    money = target(made, "money", 10, currency="EUR")
    assert charter_grid(viewer=None, as_of=END).totals.pledges == 1
    with CaptureQueriesContext(connection) as queries:
        assert charter_grid(viewer=None, as_of=END).totals.pledges == 1
    assert len(queries) == 2  # the stamp, the cache
    report(money, D(2024, 2, 1), 4)  # a write raises the stamp: the next read computes afresh
    assert charter_grid(viewer=None, as_of=END).totals.finance == [FinanceLine("EUR", Decimal("10.00"),
                                                                              Decimal("4.00"), Decimal("0.00"))]


def test_after_a_write_a_job_computes_todays_grid_so_the_next_visitor_reads_it_from_the_cache(
        world, django_capture_on_commit_callbacks):
    from dpghub.charter.state import GRID_WARM_JOB
    from dpghub.common.jobs import job_execute
    from dpghub.common.models import Job

    endorsement = endorse(world.org)
    with django_capture_on_commit_callbacks(execute=True):
        made = pledge(endorsement, "w1")
        target(made, "money", 10, currency="EUR")
    (job,) = Job.objects.filter(kind=GRID_WARM_JOB)  # a burst of writes queues one warm-up
    job_execute(job.pk)
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    with CaptureQueriesContext(connection) as queries:
        grid = charter_grid(viewer=None)
    assert len(queries) == 2  # the stamp, the cache: computed by the job, not by this visitor
    assert grid.totals.pledges == 1
