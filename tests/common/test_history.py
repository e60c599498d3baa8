"""History rows: closed vocabulary, explicit actor, no personal data, same transaction."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.db import models, transaction

from dpghub.catalog.enums import CatalogAction
from dpghub.common.history import (
    Actor,
    history_action_label,
    history_changes,
    history_record,
    history_snapshot,
    history_vocabulary,
    person_pseudonym,
)
from dpghub.common.models import Activity, ActorKind
from dpghub.screening.enums import ScreeningAction


def test_a_vocabulary_refuses_actions_not_of_the_form_app_entity_verb():
    with pytest.raises(ValueError, match=r"app\.entity\.verb"):
        @history_vocabulary
        class Bad(models.TextChoices):
            FREE = "did something", "Did something"


def test_the_same_action_cannot_be_declared_by_two_vocabularies():
    with pytest.raises(ValueError, match="declared twice"):
        @history_vocabulary
        class Again(models.TextChoices):
            RUN = "catalog.import.run", "Imported again"


def test_labels_come_from_the_vocabulary_and_unknown_actions_show_as_stored():
    assert history_action_label("screening.run.request") == "Screening requested"
    assert history_action_label("gone.thing.done") == "gone.thing.done"


def test_changes_list_only_the_fields_that_differ_as_plain_json():
    before = {"name": "Old", "stage": "nominee", "when": dt.date(2025, 1, 2), "tags": {"b", "a"}}
    after = {"name": "Old", "stage": "dpg", "when": dt.date(2026, 1, 2), "tags": {"a", "b"}}
    assert history_changes(before, after) == {
        "stage": {"before": "nominee", "after": "dpg"},
        "when": {"before": "2025-01-02", "after": "2026-01-02"},
    }


@pytest.mark.django_db
def test_a_row_names_the_person_by_pseudonym_never_by_name_or_email():
    user = User.objects.create_user("amina", email="amina@example.org", first_name="Amina")
    with transaction.atomic():
        row = history_record(actor=Actor.person(user), action=ScreeningAction.RUN_REQUEST, target=user,
                             changes={"email": {"before": None, "after": "x"}})
    row.refresh_from_db()
    assert row.actor_id == user.pk and row.actor_kind == ActorKind.PERSON
    assert row.actor_label == person_pseudonym(user) and row.actor_label.startswith("person-")
    stored = repr(Activity.objects.filter(pk=row.pk).values().get())
    assert "amina" not in stored.lower().replace(row.actor_label, "")
    assert person_pseudonym(user) == person_pseudonym(User.objects.get(pk=user.pk))


@pytest.mark.django_db
def test_a_token_actor_and_the_organisation_acted_for_are_recorded():
    user = User.objects.create_user("b", email="b@example.org")

    class Token:
        pk = 41
        scope = "write"

    Token.user = user

    class Org:
        pk = 7

        def __str__(self):
            return "Ministry of Health, Kenya"

    with transaction.atomic():
        row = history_record(actor=Actor.via_token(Token(), organisation=Org()), action=CatalogAction.IMPORT_RUN)
    assert (row.actor_kind, row.token_id, row.organisation_id, row.organisation_label) == (
        ActorKind.TOKEN, 41, 7, "Ministry of Health, Kenya")


@pytest.mark.django_db(transaction=True)
def test_free_strings_and_writes_outside_a_transaction_are_refused():
    system = Actor.system_job("importer")
    with transaction.atomic(), pytest.raises(TypeError, match="registered vocabulary"):
        history_record(actor=system, action="catalog.import.run")
    with pytest.raises(RuntimeError, match="inside the transaction"):
        history_record(actor=system, action=CatalogAction.IMPORT_RUN)
    with transaction.atomic(), pytest.raises(TypeError, match="needs an Actor"):
        history_record(actor=None, action=CatalogAction.IMPORT_RUN)
    assert Activity.objects.count() == 0


def test_system_actors_have_a_short_name_and_people_must_be_signed_in():
    assert Actor.system_job("importer").label == "system:importer"
    with pytest.raises(ValueError):
        Actor.system_job("The Importer")
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(ValueError):
        Actor.person(AnonymousUser())


@pytest.mark.django_db
def test_snapshot_reads_foreign_keys_by_id():
    user = User.objects.create_user("c", email="c@example.org")
    assert history_snapshot(user, ["username", "is_active"]) == {"username": "c", "is_active": True}
