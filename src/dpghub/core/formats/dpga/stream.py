"""Read DPGA files record by record, without holding a whole registry file in memory (Django-free).

A registry file is one JSON array that can hold tens of thousands of records (hundreds of MB).
:func:`json_array_items` decodes such an array one item at a time with the standard library's
``json.JSONDecoder.raw_decode`` over a buffer of a few MB, so memory is bounded by the largest
record, not the file; values and error messages are the ones :func:`json.loads` gives.
:func:`file_records` yields the :class:`SourceRecord` objects of one file and raises
:class:`MalformedFile` exactly where :func:`~dpghub.core.formats.dpga.parse.file_parse` does.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from dpghub.core.formats.dpga.parse import _is_registry_record, _registry_date, file_parse, registry_parse
from dpghub.core.formats.dpga.records import MalformedFile, SourceRecord

CHUNK = 1 << 20  # characters read at a time
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_NOT_DPGA = "not a DPGA record: neither a nominee, screening, review nor registry record"


class _Reader:
    """A text buffer over a binary file: UTF-8 (BOM allowed) decoded incrementally, with the line
    and column of every position for error messages."""

    def __init__(self, handle) -> None:
        self.handle = handle
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self.buf = ""
        self.pos = 0
        self.eof = False
        self.lines_before = 0  # newlines in the text already dropped from the buffer
        self.column_before = 0  # characters after the last dropped newline

    def more(self, size: int = CHUNK) -> bool:
        """Append ``size`` more characters (fewer at the end); False at the end of the file."""
        if self.eof:
            return False
        raw = self.handle.read(size)
        self.eof = not raw
        text = self.decoder.decode(raw, final=self.eof)
        dropped = self.buf[: self.pos]
        if dropped:
            newlines = dropped.count("\n")
            if newlines:
                self.lines_before += newlines
                self.column_before = len(dropped) - dropped.rfind("\n") - 1
            else:
                self.column_before += len(dropped)
        self.buf = self.buf[self.pos :] + text
        self.pos = 0
        return bool(text) or not self.eof

    def skip_whitespace(self) -> None:
        while True:
            self.pos = _WHITESPACE.match(self.buf, self.pos).end()
            if self.pos < len(self.buf) or not self.more():
                return

    def peek(self) -> str:
        self.skip_whitespace()
        return self.buf[self.pos : self.pos + 1]

    def error(self, message: str, pos: int) -> json.JSONDecodeError:
        """A JSONDecodeError whose line and column count from the start of the file."""
        newlines = self.buf.count("\n", 0, pos)
        if newlines:
            column = pos - self.buf.rfind("\n", 0, pos)
        else:
            column = self.column_before + pos + 1
        exc = json.JSONDecodeError(message, self.buf, pos)
        exc.lineno, exc.colno = self.lines_before + newlines + 1, column
        return exc

    def value(self, decoder: json.JSONDecoder) -> Any:
        """Decode the value at the current position, reading more while it is cut by the buffer's end."""
        read = CHUNK
        while True:
            try:
                value, end = decoder.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                # An error at the end of the buffer (or a string running to it) may only mean the value
                # goes on in the next chunk: read more (doubling, so a large value costs linear time).
                near_end = exc.pos >= len(self.buf) - 12 or exc.msg.startswith("Unterminated string")
                offset = exc.pos - self.pos  # reading more moves the buffer
                if near_end and self.more(read):
                    read *= 2
                    continue
                raise self.error(exc.msg, self.pos + offset) from None
            if end >= len(self.buf) and self.more(read):  # a number may go on in the next chunk
                read *= 2
                continue
            self.pos = end
            return value


def json_array_items(handle) -> Iterator[Any]:
    """Yield the items of the JSON array in the binary file ``handle``, one at a time.

    Raises :class:`json.JSONDecodeError` (line and column from the start of the file) for text that
    is not a JSON array, and :class:`UnicodeDecodeError` for bytes that are not UTF-8.
    """
    reader = _Reader(handle)
    decoder = json.JSONDecoder()
    if reader.peek() != "[":
        raise reader.error("Expecting '['", reader.pos)
    reader.pos += 1
    if reader.peek() == "]":
        reader.pos += 1
    else:
        while True:
            reader.skip_whitespace()
            yield reader.value(decoder)
            separator = reader.peek()
            reader.pos += 1
            if separator == "]":
                break
            if separator != ",":
                raise reader.error("Expecting ',' delimiter", reader.pos - 1)
    if reader.peek():
        raise reader.error("Extra data", reader.pos)


def _starts_with_array(path: Path) -> bool:
    with path.open("rb") as handle:
        head = handle.read(4096).lstrip(codecs.BOM_UTF8).lstrip(b" \t\r\n")
    return head.startswith(b"[")


def file_records(path: str | Path) -> Iterator[SourceRecord]:
    """The records of one DPGA file, one at a time; :class:`MalformedFile` as :func:`file_parse` raises it.

    A JSON array (a registry file) is streamed; any other file (one nominee, screening or review
    record, a schema) is small and read whole by :func:`file_parse`. The checks of a registry file
    are the same as :func:`file_parse`'s and reported in the same order of precedence: an item that
    is not a registry record, then the first record that cannot be read, then a repeated id.
    Records are yielded as they are read, so a caller must wait for the end of the file before it
    trusts any of them.
    """
    path = Path(path)
    try:
        array = _starts_with_array(path)
    except OSError as exc:
        raise MalformedFile(str(path), f"cannot be read ({exc.strerror or exc})") from exc
    if not array:
        yield from file_parse(path).records
        return
    file_name = path.name
    when = _registry_date(file_name)
    record_error: MalformedFile | None = None
    repeated: str | None = None
    seen: set[str] = set()
    count = 0
    shape_ok = True
    try:
        with path.open("rb") as handle:
            for index, item in enumerate(json_array_items(handle)):
                count += 1
                if not _is_registry_record(item):
                    shape_ok = False
                if not shape_ok or record_error is not None:
                    continue  # only the shape of the rest is checked now
                try:
                    record = registry_parse(item, path=str(path), source_file=file_name, data_date=when)
                except MalformedFile as exc:
                    record_error = MalformedFile(str(path), f"record {index}: {exc.reason}")
                    continue
                if record.source_key in seen:
                    repeated = repeated or record.source_key.split(":", 1)[1]
                    continue
                seen.add(record.source_key)
                if repeated is None:
                    yield record
    except OSError as exc:
        raise MalformedFile(str(path), f"cannot be read ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        raise MalformedFile(str(path), "not UTF-8 text") from exc
    except json.JSONDecodeError as exc:
        raise MalformedFile(str(path), f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from exc
    if not shape_ok or not count:
        raise MalformedFile(str(path), _NOT_DPGA)
    if record_error is not None:
        raise record_error
    if repeated is not None:
        raise MalformedFile(str(path), f"two records with the id {repeated}")
