"""The public decision log: an append-only chain of entries, each carrying the hash of the one before.

An entry's hash is ``sha256(prev_hash + "\\n" + canonical JSON of its payload)``; the first entry's
``prev_hash`` is 64 zeros. The payload holds public fields only (never notes for reviewers, never a person).
The log is downloadable as JSON Lines (one entry per line, canonical JSON) and anyone can check a copy with
:func:`decision_log_verify_lines` (``dpghub decisions verify FILE``): changing, removing, inserting or
reordering a line breaks the chain at that line.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.db import connection

from dpghub.core.decisionlog import (
    GENESIS,
    VerifyResult,
    canonical_json,
    decision_log_verify_lines,
    entry_hash,
)
from dpghub.review.models import DecisionLogEntry

#: The PostgreSQL advisory lock key that serialises appends to the log (any constant number of ours).
_LOG_LOCK = 4_731_015

__all__ = ["GENESIS", "VerifyResult", "canonical_json", "decision_log_append", "decision_log_lines",
           "decision_log_verify_lines", "entry_as_dict", "entry_hash"]


def decision_log_append(*, payload: dict[str, Any]) -> DecisionLogEntry:
    """Append ``payload`` to the chain; must run inside the transaction of the decision it records (two
    decisions at once wait for each other; ``seq`` and ``hash`` are unique besides)."""
    if not connection.in_atomic_block:
        raise RuntimeError("decision_log_append must run inside the decision's transaction")
    if connection.vendor == "postgresql":
        # One appender at a time until commit: locking the last row alone would let a second appender, once
        # the first commits, still read the old last row and take the same place. SQLite has one writer anyway.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOG_LOCK])
    last = DecisionLogEntry.objects.order_by("-seq").first()
    seq = last.seq + 1 if last is not None else 1
    prev_hash = last.hash if last is not None else GENESIS
    payload = json.loads(canonical_json(payload))  # exactly what will be hashed and served
    return DecisionLogEntry.objects.create(seq=seq, payload=payload, prev_hash=prev_hash,
                                           hash=entry_hash(prev_hash, payload))


def entry_as_dict(entry: DecisionLogEntry) -> dict[str, Any]:
    return {"seq": entry.seq, "payload": entry.payload, "prev_hash": entry.prev_hash, "hash": entry.hash}


def decision_log_lines(*, after: int = 0) -> Iterator[str]:
    """The log as JSON Lines (from the entry after ``after``), in order."""
    for entry in DecisionLogEntry.objects.filter(seq__gt=after).order_by("seq").iterator(chunk_size=500):
        yield canonical_json(entry_as_dict(entry)) + "\n"
