"""The hash chain of the public decision log, Django-free so that anyone can check a copy with it.

An entry's hash is ``sha256(prev_hash + "\\n" + canonical JSON of its payload)``; the first entry's
``prev_hash`` is 64 zeros. A copy of the log is JSON Lines, one entry ``{seq, payload, prev_hash, hash}`` per
line: changing, removing, inserting or reordering a line breaks the chain at that line.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


def canonical_json(value: Any) -> str:
    """One spelling of a JSON value: sorted keys, no spaces, UTF-8 text kept as is."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(prev_hash: str, payload: dict[str, Any]) -> str:
    return hashlib.sha256(f"{prev_hash}\n{canonical_json(payload)}".encode()).hexdigest()


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
