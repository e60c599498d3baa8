"""The decision log's hash chain: a copy verifies, and any change is caught at its line."""

from __future__ import annotations

import json

from dpghub.core.decisionlog import GENESIS, canonical_json, decision_log_verify_lines, entry_hash


def _chain(payloads):
    lines, prev = [], GENESIS
    for seq, payload in enumerate(payloads, start=1):
        digest = entry_hash(prev, payload)
        lines.append(canonical_json({"seq": seq, "payload": payload, "prev_hash": prev, "hash": digest}) + "\n")
        prev = digest
    return lines


PAYLOADS = [{"application": n, "outcome": "dpg" if n % 2 else "ineligible", "name": f"Good {n} é"}
            for n in range(1, 5)]


def test_canonical_json_is_one_spelling():
    assert canonical_json({"b": 1, "a": [1, "é"]}) == '{"a":[1,"é"],"b":1}'
    assert entry_hash(GENESIS, {"a": 1}) == entry_hash(GENESIS, {"a": 1})
    assert entry_hash(GENESIS, {"a": 1}) != entry_hash(GENESIS, {"a": 2})


def test_an_intact_copy_verifies():
    result = decision_log_verify_lines(_chain(PAYLOADS))
    assert (result.ok, result.entries, result.bad_line) == (True, 4, None)


def test_a_changed_payload_is_caught_at_its_line():
    lines = _chain(PAYLOADS)
    entry = json.loads(lines[2])
    entry["payload"]["outcome"] = "tampered"
    lines[2] = canonical_json(entry) + "\n"
    result = decision_log_verify_lines(lines)
    assert (result.bad_line, result.entries, result.reason) == (3, 2, "the hash does not match the entry's content")


def test_a_recomputed_hash_breaks_the_next_line():
    lines = _chain(PAYLOADS)
    entry = json.loads(lines[1])
    entry["payload"]["outcome"] = "tampered"
    entry["hash"] = entry_hash(entry["prev_hash"], entry["payload"])
    lines[1] = canonical_json(entry) + "\n"
    result = decision_log_verify_lines(lines)
    assert (result.bad_line, result.reason) == (3, "prev_hash is not the hash of the entry before")


def test_a_removed_or_reordered_line_is_caught():
    lines = _chain(PAYLOADS)
    assert decision_log_verify_lines(lines[:1] + lines[2:]).bad_line == 2
    assert decision_log_verify_lines([lines[1], lines[0], *lines[2:]]).bad_line == 1
    assert decision_log_verify_lines([*lines[:2], "not json\n"]).bad_line == 3
