"""Reads of the history, for a given viewer.

An object's history is as public as the object: anyone who may see the object sees what happened to it,
when, and whether a person, a person through the API, or DPG Hub itself did it, and for which organisation.
Who the person was is shown to the secretariat only (personal data is private by default).
The whole activity log, with its filters, is for the secretariat.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from dpghub.common.authz import is_secretariat
from dpghub.common.history import history_action_label
from dpghub.common.models import Activity, ActorKind


@dataclass(frozen=True)
class HistoryEntry:
    at: dt.datetime
    action: str
    action_label: str
    actor_kind: str
    actor: str
    organisation: str
    target_type: str
    target_id: str
    changes: dict[str, Any]


def _actor_text(row: Activity, *, full: bool) -> str:
    if row.actor_kind == ActorKind.SYSTEM:
        return _("DPG Hub (automatic: %(job)s)") % {"job": row.actor_label.removeprefix("system:")}
    who = row.actor_label
    if full and row.actor is not None:
        who = f"{row.actor.get_full_name() or row.actor.username} <{row.actor.email}>"
    elif not full:
        who = _("a person")
    if row.actor_kind == ActorKind.TOKEN:
        return _("%(who)s, through the API") % {"who": who}
    return who


def _entry(row: Activity, *, full: bool) -> HistoryEntry:
    return HistoryEntry(
        at=row.at, action=row.action, action_label=history_action_label(row.action),
        actor_kind=row.actor_kind, actor=_actor_text(row, full=full), organisation=row.organisation_label,
        target_type=row.target_type, target_id=row.target_id, changes=row.changes if full else _public(row.changes),
    )


def _public(changes: dict[str, Any]) -> dict[str, Any]:
    """What changed, without values of fields that can hold personal data."""
    return {name: value for name, value in changes.items() if name not in {"email", "person", "note", "name_of_person"}}


def history_of(*, viewer: Any, target: models.Model, related: Iterable[models.Model] = (),
               limit: int = 200) -> list[HistoryEntry]:
    """What happened to ``target`` (and to ``related`` objects that belong to it, such as a good's screening
    runs), newest first. The caller has already checked that the viewer may see ``target``."""
    full = is_secretariat(viewer)
    which = Q(target_type=target._meta.label_lower, target_id=str(target.pk))
    by_type: dict[str, list[str]] = {}
    for obj in related:
        by_type.setdefault(obj._meta.label_lower, []).append(str(obj.pk))
    for target_type, ids in by_type.items():
        which |= Q(target_type=target_type, target_id__in=ids)
    rows = Activity.objects.filter(which).select_related("actor").order_by("-at", "-id")[:limit]
    return [_entry(row, full=full) for row in rows]


@dataclass(frozen=True)
class ActivityFilters:
    action: str = ""
    actor_kind: str = ""
    target_type: str = ""
    organisation_id: int | None = None
    since: dt.date | None = None
    until: dt.date | None = None


def activity_list(*, viewer: Any, filters: ActivityFilters) -> QuerySet[Activity] | None:
    """The whole log, filtered, for the secretariat; None for anyone else (the page does not exist for them)."""
    if not is_secretariat(viewer):
        return None
    rows = Activity.objects.select_related("actor").order_by("-at", "-id")
    if filters.action:
        rows = rows.filter(action=filters.action)
    if filters.actor_kind:
        rows = rows.filter(actor_kind=filters.actor_kind)
    if filters.target_type:
        rows = rows.filter(target_type=filters.target_type)
    if filters.organisation_id:
        rows = rows.filter(organisation_id=filters.organisation_id)
    if filters.since:
        rows = rows.filter(at__date__gte=filters.since)
    if filters.until:
        rows = rows.filter(at__date__lte=filters.until)
    return rows


def activity_entries(*, viewer: Any, rows: QuerySet[Activity] | list[Activity]) -> list[HistoryEntry]:
    full = is_secretariat(viewer)
    return [_entry(row, full=full) for row in rows]


def content_version() -> int:
    """The id of the newest history row: it changes with every committed write, and only then
    (every write records one row in its transaction). The page cache keys on it."""
    return Activity.objects.order_by("-id").values_list("id", flat=True).first() or 0
