"""The grid's maintained state (dpghub.charter.state): each target's state today, kept right by every report
write, the grid read from it equal to the grid read from the reports, and a past ``as_of`` still exact."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone

from dpghub.catalog.models import Good
from dpghub.charter.exchange import pledges_import, reports_import
from dpghub.charter.grid import grid_compute
from dpghub.charter.models import Target
from dpghub.charter.sample import sample_create
from dpghub.charter.selectors import FinanceLine, charter_grid
from dpghub.charter.services import (
    TargetInput,
    pledge_create,
    pledge_publish,
    report_request_evidence,
    report_submit,
    report_verify,
)
from dpghub.charter.state import charter_stamp, targets_refresh
from dpghub.common.history import Actor
from tests.charter.exchange_data import PLEDGES, REPORTS, goods_make
from tests.charter.helpers import endorse

D = dt.date
SYSTEM = Actor.system_job("test")


def _state(target: Target) -> tuple:
    target.refresh_from_db()
    return target.latest_on, target.latest_value, target.latest_status, target.verified_value


def _same_as_recomputed() -> bool:
    """The maintained columns equal what a full recomputation from the reports gives."""
    fields = ("pk", "latest_on", "latest_value", "latest_status", "verified_value")
    before = list(Target.objects.order_by("pk").values_list(*fields))
    targets_refresh()
    return before == list(Target.objects.order_by("pk").values_list(*fields))


def _maintained_equals_exact(**filters) -> bool:
    today = timezone.localdate()
    return grid_compute(as_of=today, maintained=True, **filters) == grid_compute(as_of=today, maintained=False,
                                                                                 **filters)


@pytest.fixture
def funding(world):
    made = pledge_create(actor=world.actors["member"], endorsement=endorse(world.org), title="Fund", types=["finance"],
                         outcomes=["products"], countries=["KE"], good_ids=[], pledged_on=D(2024, 1, 1),
                         targets=[TargetInput(metric="funding", currency="EUR", target_value=1000,
                                              deadline=D(2024, 12, 31))])
    pledge_publish(actor=world.actors["member"], pledge=made)
    return made.targets.get()


def _submit(world, target, day, value, status="on-track"):
    return report_submit(actor=world.actors["member"], target=target, reported_on=day, value=value, status=status)


def test_report_submit_verify_and_request_evidence_keep_the_target_state(world, funding):
    assert _state(funding) == (None, None, "", None)
    first = _submit(world, funding, D(2024, 3, 1), 100)
    assert _state(funding) == (D(2024, 3, 1), Decimal("100.00"), "on-track", None)
    second = _submit(world, funding, D(2024, 6, 1), 400, "at-risk")
    assert _state(funding) == (D(2024, 6, 1), Decimal("400.00"), "at-risk", None)
    _submit(world, funding, D(2024, 2, 1), 50)  # an earlier date does not become the latest
    assert _state(funding)[:2] == (D(2024, 6, 1), Decimal("400.00"))
    report_verify(actor=world.actors["secretariat"], report=first)
    assert _state(funding)[3] == Decimal("100.00")
    report_request_evidence(actor=world.actors["secretariat"], report=second, note="The bank statement, please.")
    assert _state(funding)[3] == Decimal("100.00")
    assert _maintained_equals_exact()
    report_verify(actor=world.actors["secretariat"], report=second)
    assert _state(funding) == (D(2024, 6, 1), Decimal("400.00"), "at-risk", Decimal("400.00"))
    assert _maintained_equals_exact() and _maintained_equals_exact(country="KE")
    assert _same_as_recomputed()
    today = charter_grid(viewer=None).totals.finance
    assert today == [FinanceLine("EUR", Decimal("1000.00"), Decimal("400.00"), Decimal("400.00"))]


def test_a_past_date_stays_exact_after_later_writes(world, funding):
    first = _submit(world, funding, D(2024, 3, 1), 100)
    april = D(2024, 4, 30)
    assert charter_grid(viewer=None, as_of=april).totals.finance[0].reported == Decimal("100.00")  # cached now
    _submit(world, funding, D(2024, 4, 1), 300)  # reported later, dated before April 30: the past changes
    _submit(world, funding, D(2024, 9, 1), 900)  # dated after: April 30 does not see it
    in_april = charter_grid(viewer=None, as_of=april).totals.finance[0]
    assert (in_april.reported, in_april.reported_verified) == (Decimal("300.00"), Decimal("0.00"))
    assert charter_grid(viewer=None, as_of=D(2024, 3, 15)).totals.finance[0].reported == Decimal("100.00")
    report_verify(actor=world.actors["secretariat"], report=first)  # verified today: not verified in the past
    assert charter_grid(viewer=None, as_of=april).totals.finance[0].reported_verified == Decimal("0.00")
    now = charter_grid(viewer=None).totals.finance[0]
    assert (now.reported, now.reported_verified) == (Decimal("900.00"), Decimal("100.00"))
    assert _maintained_equals_exact()


def test_every_write_raises_the_stamp(world, funding):
    before = charter_stamp()
    report = _submit(world, funding, D(2024, 3, 1), 100)
    after_submit = charter_stamp()
    report_verify(actor=world.actors["secretariat"], report=report)
    assert before < after_submit < charter_stamp()


def test_imports_and_the_sample_keep_the_target_state(db):
    goods_make()
    Good.objects.filter(slug__in=["dhis2", "qgis"]).update(stage="dpg")
    pledges_import(actor=SYSTEM, stream=io.BytesIO(PLEDGES.encode()), source="spreadsheet:p.csv")
    reports_import(actor=SYSTEM, stream=io.BytesIO(REPORTS.encode()), source="spreadsheet:r.csv")
    funding = Target.objects.get(metric="Funding")
    assert _state(funding) == (D(2025, 12, 31), Decimal("400000.50"), "at-risk", Decimal("250000.00"))
    sample_create(actor=SYSTEM, pledges=30, seed=3)
    assert _same_as_recomputed()
    assert _maintained_equals_exact() and _maintained_equals_exact(include_sample=True)
