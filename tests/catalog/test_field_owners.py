"""Imports do not overwrite what DPG Hub decided: field ownership."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from dpghub.catalog.enums import FieldOwner, Stage
from dpghub.catalog.errors import CatalogError
from dpghub.catalog.models import Good, GoodFieldOwner, ImportRun
from dpghub.catalog.services.editing import (
    GoodEditRefused,
    good_field_owners,
    good_fields_release,
    good_fields_set,
)
from dpghub.catalog.services.importing import goods_import
from dpghub.common.history import Actor
from dpghub.common.models import Activity
from tests.catalog.test_importing_policy import nominee

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(tmp_path: Path) -> tuple[Path, Good]:
    root = tmp_path / "data" / "nominees"
    root.mkdir(parents=True)
    (root / "alpha.json").write_text(json.dumps(nominee("Alpha Tool", "https://github.com/ex/alpha")))
    goods_import(paths=[tmp_path / "data"])
    return tmp_path / "data", Good.objects.get(name="Alpha Tool")


def test_a_decision_in_dpg_hub_survives_the_next_import_which_reports_the_disagreement(imported):
    data, good = imported
    decided = dt.date(2026, 11, 30)
    good_fields_set(actor=Actor.system_job("review"), good=good, owner=FieldOwner.REVIEW,
                    values={"stage": Stage.DPG, "recognised_on": decided, "expires_on": decided + dt.timedelta(days=365)})
    assert good_field_owners(good=good) == {"stage": "review", "recognised_on": "review", "expires_on": "review"}
    # the source changes its description (owned by the source) and still says "nominee"
    record = nominee("Alpha Tool", "https://github.com/ex/alpha")
    record["description"] = "Alpha Tool does new things"
    (data / "nominees" / "alpha.json").write_text(json.dumps(record))
    result = goods_import(paths=[data])
    good.refresh_from_db()
    assert (good.stage, good.recognised_on, good.description) == (Stage.DPG, decided, "Alpha Tool does new things")
    conflicts = [e for e in result.report if e["kind"] == "source-disagrees"]
    assert conflicts == [{"kind": "source-disagrees", "source": conflicts[0]["source"], "good": good.slug,
                          "field": "stage", "owner": "review", "kept": "dpg", "source_value": "nominee",
                          "detail": "stage: the source says 'nominee'; DPG Hub's value is kept"}]
    assert ImportRun.objects.latest("id").report == result.report
    # the same import again: still reported, still nothing changed
    again = goods_import(paths=[data])
    good.refresh_from_db()
    assert good.stage == Stage.DPG and [e["field"] for e in again.report if e["kind"] == "source-disagrees"] == ["stage"]


def test_released_fields_follow_the_source_again(imported):
    data, good = imported
    secretariat = Actor.system_job("cli")
    good_fields_set(actor=secretariat, good=good, values={"name": "Alpha"})
    goods_import(paths=[data])
    assert Good.objects.get(pk=good.pk).name == "Alpha"
    good_fields_release(actor=secretariat, good=good, fields=["name"])
    goods_import(paths=[data])
    assert Good.objects.get(pk=good.pk).name == "Alpha Tool"
    assert list(Activity.objects.filter(target_type="catalog.good", target_id=str(good.pk)).values_list("action", flat=True).order_by("id")) == [
        "catalog.good.update", "catalog.good.release"]


def test_only_the_secretariat_edits_and_bad_values_are_refused(imported, django_user_model):
    _data, good = imported
    person = django_user_model.objects.create_user("p", email="p@example.org")
    with pytest.raises(GoodEditRefused):
        good_fields_set(actor=Actor.person(person), good=good, values={"name": "Mine"})
    with pytest.raises(CatalogError) as bad:
        good_fields_set(actor=Actor.system_job("cli"), good=good, values={"stage": "famous"})
    assert bad.value.field == "stage"
    with pytest.raises(CatalogError):
        good_fields_set(actor=Actor.system_job("cli"), good=good, values={"slug": "x"})
    assert GoodFieldOwner.objects.count() == 0 and Good.objects.get(pk=good.pk).name == "Alpha Tool"
    secretariat = django_user_model.objects.create_superuser("s", email="s@example.org")
    good_fields_set(actor=Actor.person(secretariat), good=good, values={"name": "Alpha"})
    row = Activity.objects.get(action="catalog.good.update")
    assert row.changes == {"name": {"before": "Alpha Tool", "after": "Alpha"}} and row.data["owner"] == "edit"
