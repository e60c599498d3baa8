"""Sample data: across the grid, linked to real goods, marked everywhere, removed without a trace."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from dpghub.catalog.models import Good
from dpghub.charter.enums import CharterAction, Outcome, PledgeType
from dpghub.charter.exchange import ImportRejected, pledges_csv_write, pledges_import
from dpghub.charter.models import Endorsement, Pledge, PledgeCell, PledgeCountry, ProgressReport, Target
from dpghub.charter.sample import SampleExists, sample_create, sample_remove
from dpghub.common.history import Actor
from dpghub.common.models import Activity
from dpghub.orgs.models import Organisation
from tests.charter.exchange_data import PLEDGES, goods_make

SYSTEM = Actor.system_job("test")
TODAY = dt.date(2026, 6, 1)


def _state() -> tuple:
    return tuple(model.objects.count() for model in (Organisation, Endorsement, Pledge, PledgeCell, PledgeCountry,
                                                     Target, ProgressReport))


@pytest.fixture
def goods(db):
    goods = goods_make()
    Good.objects.filter(slug__in=["dhis2", "qgis"]).update(stage="dpg")
    return goods


def test_sample_covers_the_grid_with_real_goods_and_is_marked(goods):
    counts = sample_create(actor=SYSTEM, pledges=30, seed=3, today=TODAY)
    assert counts["pledges"] == 30 and counts["endorsements"] == 12
    cells = set(PledgeCell.objects.values_list("type", "outcome"))
    assert cells == {(t, o) for t in PledgeType.values for o in Outcome.values}
    assert set(Pledge.objects.values_list("goods__slug", flat=True)) <= {"dhis2", "qgis"}
    assert all(p.is_sample and p.title.startswith("[Sample] ") and p.ref.startswith("SAMPLE-")
               for p in Pledge.objects.all())
    assert all(e.is_sample and e.organisation.name.startswith("[Sample] ") for e in Endorsement.objects.all())
    assert not ProgressReport.objects.filter(is_sample=False).exists()
    for target in Target.objects.all():
        assert bool(target.currency) != bool(target.unit)
        assert target.deadline >= target.pledge.pledged_on


def test_same_seed_same_data(goods):
    sample_create(actor=SYSTEM, pledges=10, seed=5, today=TODAY)
    first = list(Pledge.objects.order_by("ref").values_list("ref", "title", "pledged_on", "countries"))
    sample_remove(actor=SYSTEM)
    sample_create(actor=SYSTEM, pledges=10, seed=5, today=TODAY)
    assert list(Pledge.objects.order_by("ref").values_list("ref", "title", "pledged_on", "countries")) == first


def test_sample_remove_leaves_no_trace_and_keeps_real_data(goods):
    pledges_import(actor=SYSTEM, stream=io.StringIO(PLEDGES), source="real.csv")
    before = _state()
    sample_create(actor=SYSTEM, pledges=20, seed=1, today=TODAY)
    assert _state() != before
    with pytest.raises(SampleExists):
        sample_create(actor=SYSTEM, pledges=5, seed=2, today=TODAY)
    removed = sample_remove(actor=SYSTEM)
    assert removed["pledges"] == 20 and removed["organisations"] == 12
    assert _state() == before
    assert sorted(Pledge.objects.values_list("ref", flat=True)) == ["P-1", "P-2"]
    assert [a.action for a in Activity.objects.filter(action__startswith="charter.sample").order_by("pk")] == [
        CharterAction.SAMPLE_CREATE.value, CharterAction.SAMPLE_REMOVE.value]


def test_sample_is_left_out_of_exports_and_never_overwritten_by_an_import(goods):
    sample_create(actor=SYSTEM, pledges=5, seed=1, today=TODAY)
    stream = io.StringIO()
    assert pledges_csv_write(stream) == 0
    assert pledges_csv_write(io.StringIO(), include_sample=True) == 5
    full = io.StringIO()
    pledges_csv_write(full, include_sample=True)
    with pytest.raises(ImportRejected) as caught:
        pledges_import(actor=SYSTEM, stream=io.StringIO(full.getvalue()), source="x")
    assert {(e.column, e.message.split("”")[1]) for e in caught.value.errors} == {
        ("ref", " is a pledge of the sample data; real data never overwrites it (remove the sample first).")}
    assert len(caught.value.errors) == 5
