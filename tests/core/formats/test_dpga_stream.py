"""Streaming a registry file: the same items, records and errors as reading it whole, in bounded memory."""

from __future__ import annotations

import io
import json
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dpghub.core.formats.dpga import MalformedFile, file_parse, stream
from dpghub.core.formats.dpga.stream import file_records, json_array_items
from tests.core.formats.test_dpga import registry_record

SAMPLE = Path(__file__).resolve().parents[3] / "src" / "dpghub" / "data" / "dpga" / "registry-2026-07-sample.json"

_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",))),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=12,
)


def _items(text: str | bytes) -> list:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return list(json_array_items(io.BytesIO(data)))


@settings(max_examples=150, deadline=None)
@given(items=st.lists(_json_values, max_size=8), indent=st.sampled_from([None, 1, 3]),
       chunk=st.integers(min_value=1, max_value=40))
def test_items_are_what_json_loads_reads_whatever_the_chunk_size(items, indent, chunk):
    text = json.dumps(items, indent=indent, ensure_ascii=False)
    original = stream.CHUNK
    stream.CHUNK = chunk  # values, strings, escapes, numbers and UTF-8 sequences cut at every place
    try:
        assert _items(text) == json.loads(text)
        assert _items(b"\xef\xbb\xbf" + text.encode()) == json.loads(text)  # a BOM is allowed
    finally:
        stream.CHUNK = original


@pytest.mark.parametrize("text", [
    '[{"a": 1},\n {"b": tru}]',
    '[{"a": 1},\n {"b": "x"} {"c": 2}]',
    '[1, 2,\n\n   3',
    '[{"a": "unterminated}]',
    '[1] 2',
    '[\n  {"a": 1},\n  {"a" 2}\n]',
    "",
])
def test_errors_name_the_line_and_column_json_loads_names(text, monkeypatch):
    monkeypatch.setattr(stream, "CHUNK", 4)
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(text)
    with pytest.raises(json.JSONDecodeError) as got:
        _items(text)
    assert (got.value.lineno, got.value.colno) == (expected.value.lineno, expected.value.colno)


def test_records_of_a_streamed_file_are_the_records_of_the_whole_file(monkeypatch):
    monkeypatch.setattr(stream, "CHUNK", 1000)
    whole = file_parse(SAMPLE).records
    streamed = list(file_records(SAMPLE))
    assert len(streamed) == len(whole) == 142
    assert streamed == whole  # every field, the repair log and the indicators included


def _reason(path: Path, reader) -> str:
    with pytest.raises(MalformedFile) as exc:
        list(reader(path))
    return exc.value.reason


@pytest.mark.parametrize("items, reason", [
    ([registry_record(), registry_record(id="90002", name=7)], "record 1: the name is int 7, not text"),
    ([registry_record(), {"name": "not a registry record"}], "not a DPGA record"),
    ([registry_record(id="90002", name=7), {"nothing": 1}], "not a DPGA record"),
    ([registry_record(), registry_record(name=None)], "record 1: a record has no name"),
    ([registry_record(), registry_record(), registry_record(id="90002", name=[])], "record 2: the name is list"),
    ([registry_record(), registry_record()], "two records with the id 90001"),
    ([], "not a DPGA record"),
])
def test_malformed_registry_files_fail_with_the_reason_file_parse_gives(tmp_path, items, reason):
    path = tmp_path / "registry.json"
    path.write_text(json.dumps(items))
    assert _reason(path, file_records) == _reason(path, lambda p: file_parse(p).records)
    assert _reason(path, file_records).startswith(reason)


def test_unreadable_bytes_and_bad_json_fail_like_file_parse(tmp_path):
    for name, data in (("latin1.json", b'[{"id": "1", "name": "Caf\xe9", "sdgs": {}}]'),
                       ("broken.json", b'[{"id": "1", "name": "A", "sdgs": {}},\n {"id": "2", "name": }]')):
        path = tmp_path / name
        path.write_bytes(data)
        assert _reason(path, file_records) == _reason(path, lambda p: file_parse(p).records)


def test_memory_follows_the_largest_record_not_the_file(tmp_path):
    base = json.loads(SAMPLE.read_text(encoding="utf-8"))
    path = tmp_path / "big.json"
    with path.open("w", encoding="utf-8") as out:
        out.write("[")
        for index in range(2000):
            out.write(("," if index else "") + json.dumps({**base[index % len(base)], "id": str(index)}))
        out.write("]")
    assert path.stat().st_size > 15_000_000
    tracemalloc.start()
    try:
        with path.open("rb") as handle:
            count = sum(1 for _item in json_array_items(handle))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 2000
    assert peak < 8_000_000  # a 1 MB buffer (a few copies while it moves on) and one record
