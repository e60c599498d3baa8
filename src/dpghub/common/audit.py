"""The activity log: every service that changes something records it here, in its transaction."""

from __future__ import annotations

from typing import Any

from django.db import models

from dpghub.common.models import Activity


def activity_record(
    *, actor: Any | None, action: str, target: models.Model | None = None, data: dict | None = None,
    actor_label: str = "",
) -> Activity:
    """Write one audit row. ``actor`` is a user or None (then ``actor_label`` says who, e.g. 'system:importer')."""
    if actor is None and not actor_label:
        raise ValueError("activity_record needs an actor or an actor_label")
    return Activity.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=actor_label or str(actor),
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        data=data or {},
    )
