"""The public decision log: an append-only chain of entries, each carrying the hash of the one before.

An entry's hash is ``sha256(prev_hash + "\\n" + canonical JSON of its payload)``; the first entry's
``prev_hash`` is 64 zeros. The payload holds public fields only (never notes for reviewers, never a person).
The log is downloadable as JSON Lines (one entry per line, canonical JSON) and anyone can check a copy with
:func:`decision_log_verify_lines` (``dpghub decisions verify FILE``): changing, removing, inserting or
reordering a line breaks the chain at that line.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection

from dpghub.review.models import DecisionLogEntry

GENESIS = "0" * 64


def canonical_json(value: Any) -> str:
    """One spelling of a JSON value: sorted keys, no spaces, UTF-8 text kept as is."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(prev_hash: str, payload: dict[str, Any]) -> str:
    return hashlib.sha256(f"{prev_hash}\n{canonical_json(payload)}".encode()).hexdigest()


def decision_log_append(*, payload: dict[str, Any]) -> DecisionLogEntry:
    """Append ``payload`` to the chain; must run inside the transaction of the decision it records
    (two decisions at once cannot both take the same place: ``seq`` and ``hash`` are unique)."""
    if not connection.in_atomic_block:
        raise RuntimeError("decision_log_append must run inside the decision's transaction")
    last = DecisionLogEntry.objects.select_for_update().order_by("-seq").first()
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


@dataclass(frozen=True)
class VerifyResult:
    entries: int
    bad_line: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.bad_line is None


def decision_log_verify_lines(lines: Iterable[str]) -> VerifyResult:
    """Check a downloaded copy of the log: the first line that breaks the chain, or none."""
    prev_hash, expected_seq, count = GENESIS, 1, 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
            seq, payload, claimed_prev, claimed = entry["seq"], entry["payload"], entry["prev_hash"], entry["hash"]
        except (ValueError, KeyError, TypeError):
            return VerifyResult(count, number, "not an entry of the decision log")
        if seq != expected_seq:
            return VerifyResult(count, number, f"entry {seq} where entry {expected_seq} was expected")
        if claimed_prev != prev_hash:
            return VerifyResult(count, number, "prev_hash is not the hash of the entry before")
        if entry_hash(prev_hash, payload) != claimed:
            return VerifyResult(count, number, "the hash does not match the entry's content")
        prev_hash, expected_seq, count = claimed, expected_seq + 1, count + 1
    return VerifyResult(count)
