"""Bulk writes without model instances (common.bulk), on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from django.db import transaction
from django.utils import timezone

from dpghub.catalog.models import Good, GoodCountry
from dpghub.common.bulk import ids_allocate, rows_insert

pytestmark = pytest.mark.django_db


def _good(**fields) -> Good:
    return Good.objects.create(**{"slug": f"g-{uuid.uuid4().hex[:8]}", "name": "A good", **fields})


#: JSON text with what COPY's text format must escape (tab, newline, backslash) and non-ASCII letters
ALIASES = ["Clinique ouverte", "tab\there", "line\nbreak", "back\\slash", "\"quoted\""]


def test_rows_insert_stores_json_dates_and_uuids_as_the_orm_reads_them():
    now = timezone.now()
    uid = uuid.uuid4()
    [gid] = ids_allocate(Good, 1)
    columns = ("id", "uid", "slug", "name", "aliases", "categories", "sectors", "stage", "excluded_on",
               "excluded_reason", "description", "website", "created_at", "updated_at")
    count = rows_insert(Good, columns, [(gid, uid, "open-clinic", "Open Clinic", ALIASES, ["software"],
                                         [], "dpg", date(2024, 5, 1), "", "Clinic records, «accentué».", "", now, now)])
    assert count == 1
    good = Good.objects.get(id=gid)
    assert (good.uid, good.slug, good.aliases, good.categories, good.sectors) == (
        uid, "open-clinic", ALIASES, ["software"], [])
    assert good.excluded_on == date(2024, 5, 1) and good.created_at == now
    assert good.description == "Clinic records, «accentué»."


def test_rows_insert_writes_every_row_across_several_calls():
    good = _good()
    rows = [(good.id, f"{chr(65 + i // 26)}{chr(65 + i % 26)}", "deployment") for i in range(2500)]
    assert rows_insert(GoodCountry, ("good_id", "country", "role"), iter(rows)) == 2500
    assert GoodCountry.objects.filter(good=good).count() == 2500


def test_rows_insert_of_nothing_writes_nothing():
    assert rows_insert(GoodCountry, ("good_id", "country", "role"), []) == 0
    assert not GoodCountry.objects.exists()


def test_allocated_ids_are_never_given_again():
    before = _good()
    allocated = ids_allocate(Good, 3)
    assert len(set(allocated)) == 3 and min(allocated) > before.id
    after = _good()  # the ORM's next key comes after the reserved ones
    assert after.id > max(allocated)
    assert not set(ids_allocate(Good, 2)) & {*allocated, after.id, before.id}
    assert ids_allocate(Good, 0) == []


def test_ids_of_deleted_rows_are_not_reused():
    good = _good()
    top = good.id
    good.delete()
    assert min(ids_allocate(Good, 1)) > top


@pytest.mark.django_db(transaction=True)
def test_an_allocation_rolled_back_with_its_transaction_leaves_no_rows():
    with pytest.raises(RuntimeError), transaction.atomic():
        [gid] = ids_allocate(Good, 1)
        rows_insert(Good, ("id", "uid", "slug", "name", "created_at", "updated_at", "aliases", "categories",
                           "sectors", "stage", "excluded_reason", "description", "website"),
                    [(gid, uuid.uuid4(), "x", "X", timezone.now(), timezone.now(), [], [], [], "dpg", "", "", "")])
        raise RuntimeError("the import fails")
    assert not Good.objects.exists()
