"""Changing a good in DPG Hub, and who owns each field afterwards.

A field changed here (by an edit of the secretariat, or by the review workflow's decision) is owned by DPG
Hub from then on: a later import of the source records does not change it, and reports where the source
disagrees instead (see importing). :func:`good_fields_release` hands fields back to the source.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import rules
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dpghub.catalog.enums import CatalogAction, Category, FieldOwner, Stage
from dpghub.catalog.errors import CatalogError
from dpghub.catalog.models import Good, GoodFieldOwner
from dpghub.catalog.services.indexing import goods_reindex
from dpghub.common.authz import actor_may, is_secretariat
from dpghub.common.errors import InvalidInput, PermissionDenied
from dpghub.common.history import Actor, history_changes, history_record, history_snapshot
from dpghub.notifications.watching import good_status_changed

#: Fields of a good that DPG Hub can decide.
OWNABLE_FIELDS = ("name", "aliases", "description", "categories", "website", "sectors", "stage",
                  "recognised_on", "expires_on", "excluded_on", "excluded_reason")

CATALOG_RULES = rules.RuleSet()
CATALOG_RULES.add_rule("catalog.change_good", is_secretariat)


class GoodEditRefused(CatalogError, PermissionDenied):
    def __init__(self) -> None:
        super().__init__(str(_("You may not change this good.")))


class InvalidGoodValue(CatalogError, InvalidInput):
    """A value that a good's field cannot take."""


def _clean(values: Mapping[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(values) - set(OWNABLE_FIELDS))
    if unknown:
        raise InvalidGoodValue(_("These fields of a good cannot be set: %(fields)s.") % {"fields": ", ".join(unknown)},
                           field=unknown[0])
    cleaned = dict(values)
    if "stage" in cleaned and cleaned["stage"] not in Stage.values:
        raise InvalidGoodValue(_("“%(value)s” is not a stage.") % {"value": cleaned["stage"]}, field="stage")
    if "categories" in cleaned and not set(cleaned["categories"]) <= set(Category.values):
        raise InvalidGoodValue(_("Unknown category in %(value)s.") % {"value": cleaned["categories"]}, field="categories")
    for name in ("recognised_on", "expires_on", "excluded_on"):
        if name in cleaned and cleaned[name] is not None and not isinstance(cleaned[name], dt.date):
            raise InvalidGoodValue(_("“%(name)s” must be a date.") % {"name": name}, field=name)
    if "name" in cleaned and not str(cleaned["name"] or "").strip():
        raise InvalidGoodValue(_("A good needs a name."), field="name")
    return cleaned


def good_fields_set(*, actor: Actor, good: Good, values: Mapping[str, Any],
                    owner: FieldOwner = FieldOwner.EDIT) -> Good:
    """Set fields of ``good``; DPG Hub owns them afterwards (``owner`` says through which process).

    The secretariat may edit; the review workflow calls this with its own actor after its own checks
    (``owner=FieldOwner.REVIEW``), as a system job or the deciding person.
    """
    if owner == FieldOwner.SOURCE:
        raise ValueError("the source owns a field until DPG Hub decides it; use good_fields_release")
    if owner == FieldOwner.EDIT and not actor_may(CATALOG_RULES, "catalog.change_good", actor=actor, obj=good):
        raise GoodEditRefused()
    cleaned = _clean(values)
    with transaction.atomic():
        good = Good.objects.select_for_update().get(pk=good.pk)
        before = history_snapshot(good, cleaned)
        for name, value in cleaned.items():
            setattr(good, name, value)
        changes = history_changes(before, history_snapshot(good, cleaned))
        now = timezone.now()
        for name in cleaned:
            GoodFieldOwner.objects.update_or_create(good=good, field=name, defaults={"owner": owner, "since": now})
        if changes:
            good.save()
            goods_reindex(good_ids=[good.pk])
            good_status_changed(good=good, changes=changes)  # tells the good's followers, in this transaction
        history_record(actor=actor, action=CatalogAction.GOOD_UPDATE, target=good, changes=changes,
                       data={"owner": owner.value, "fields": sorted(cleaned)})
    return good


def good_fields_release(*, actor: Actor, good: Good, fields: Iterable[str]) -> None:
    """Hand fields back to the imported source: the next import sets them again."""
    if not actor_may(CATALOG_RULES, "catalog.change_good", actor=actor, obj=good):
        raise GoodEditRefused()
    fields = sorted(set(fields))
    with transaction.atomic():
        released = sorted(GoodFieldOwner.objects.filter(good=good, field__in=fields).values_list("field", flat=True))
        if released:
            GoodFieldOwner.objects.filter(good=good, field__in=released).delete()
            history_record(actor=actor, action=CatalogAction.GOOD_RELEASE, target=good,
                           data={"fields": released})


def good_field_owners(*, good: Good) -> dict[str, str]:
    """``{field: owner}`` for the fields DPG Hub decided (the source owns the rest)."""
    return dict(good.field_owners.values_list("field", "owner"))
