"""The single pass over the text of every file, shared by all checks.

Each check declares :class:`Pattern` objects. For each file one pass finds which literal ``needles`` occur
(``needles.py``); a pattern's regex runs only when one of its needles does, only on the lines holding it,
and only on the kinds of file it applies to. Hits keep a path, a line number and a short excerpt.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from dpghub.core.screening.needles import NeedleSet, needle_set
from dpghub.core.screening.origin import looks_generated
from dpghub.core.screening.tree import FileEntry

ALL_TEXT = frozenset({"doc", "code", "config", "other"})
DOCS = frozenset({"doc"})
CODE = frozenset({"code"})
DOCS_AND_CODE = frozenset({"doc", "code", "config"})

EXCERPT_MAX = 200


@dataclass(frozen=True, slots=True)
class Pattern:
    name: str
    regex: re.Pattern[str]
    needles: tuple[str, ...]
    kinds: frozenset[str] = DOCS_AND_CODE
    head: int = 0  # scan only the first N characters (0: the whole capped text)
    max_per_file: int = 1
    max_total: int = 30
    path_filter: Callable[[str], bool] | None = None
    # A match counts only where the topic is the subject: in a file whose name, or a document whose
    # title or enclosing section heading, matches this (see ``on_topic``). None: anywhere.
    topic: re.Pattern[str] | None = None


@dataclass(frozen=True, slots=True)
class Hit:
    pattern: str
    path: str
    line: int
    excerpt: str
    value: str


def excerpt_at(text: str, start: int, end: int | None = None) -> tuple[int, str]:
    """(line number, the line around ``start`` trimmed to 200 characters)."""
    line_no = text.count("\n", 0, start) + 1
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    if line_end == -1:
        line_end = len(text)
    line = text[line_start:line_end].strip()
    if len(line) > EXCERPT_MAX:
        offset = max(0, start - line_start - 60)
        line = line[offset: offset + EXCERPT_MAX - 1].strip() + "…"
    return line_no, line


def line_of(text: str, needle: str) -> tuple[int | None, str | None]:
    """Line number and excerpt of the first occurrence of ``needle`` (None if absent)."""
    index = text.find(needle)
    if index < 0:
        return None, None
    return excerpt_at(text, index)


# How much of each kind of file the patterns look at (a file's text is already capped at max_read_bytes).
# Source code is scanned in its first 32 KiB, where imports, headers and most references live.
WINDOWS = {"doc": 256 * 1024, "config": 64 * 1024, "code": 32 * 1024, "other": 16 * 1024}
MAX_NEEDLE_LINES = 40  # lines examined per needle and file
LONG_LINE = 2000  # a longer line is examined only around each needle ...
AROUND = 300  # ... this many characters on each side
# Generated HTML (API docs, coverage reports) and notebooks (mostly outputs) are large and repeat
# what their sources say.
HTML_WINDOW = 32 * 1024
# Tests, fixtures, migrations, translations and build output are weak evidence and often large:
# headers only.
LOW_VALUE_DIRS = frozenset({"test", "tests", "spec", "specs", "__tests__", "testdata", "test_data", "fixtures",
                            "migrations", "locale", "locales", "i18n", "l10n", "examples", "benchmarks",
                            "dist", "build", "_build", "htmlcov", "coverage", "generated", "javadoc", "apidocs"})
LOW_VALUE_WINDOW = 4096


def ascii_lower(text: str) -> str:
    """``text`` with A-Z lowered and every other character kept, so offsets stay those of ``text``.

    The needles are ASCII; str.lower() on a text with any non-ASCII character takes a slow path
    (about 50 MB/s here), while bytes.lower() lowers ASCII at memory speed.
    """
    if text.isascii():
        return text.lower()
    return text.encode("utf-8", "surrogatepass").lower().decode("utf-8", "surrogatepass")


def window_for(entry: FileEntry) -> int:
    """How many leading characters of a file the patterns look at (and so how much of it is read)."""
    window = WINDOWS.get(entry.kind, 0)
    if entry.kind == "doc" and entry.path.endswith((".html", ".htm", ".ipynb")):
        window = HTML_WINDOW
    if entry.depth and _low_value_folder(entry.path.rpartition("/")[0]):
        window = min(window, LOW_VALUE_WINDOW)
    return window


@lru_cache(maxsize=8192)
def _low_value_folder(folder: str) -> bool:
    return not LOW_VALUE_DIRS.isdisjoint(folder.lower().split("/"))


def _needle_regions(low: str, needle: str, limit: int) -> Iterator[tuple[int, int]]:
    """(start, end) of the lines (or, on a long line, the stretches) holding ``needle`` in ``low[:limit]``,
    in order, for its first MAX_NEEDLE_LINES occurrences."""
    start = 0
    for _ in range(MAX_NEEDLE_LINES):
        index = low.find(needle, start, limit)
        if index < 0:
            return
        line_start = low.rfind("\n", 0, index) + 1
        line_end = low.find("\n", index, limit)
        line_end = limit if line_end < 0 else line_end
        if line_end - line_start > LONG_LINE:
            yield max(line_start, index - AROUND), min(line_end, index + len(needle) + AROUND)
            start = index + len(needle)
        else:
            yield line_start, line_end
            start = line_end + 1


# Markdown "# Title" / "## Section", and a title over a line of = or - (Markdown setext, reStructuredText).
_ATX = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
_UNDERLINE = re.compile(r"\n(=+|-+)[ \t]*(?=\n|\Z)")  # the title is the line above (no backtracking over it)
_HTML_H = re.compile(r"<h([1-6])\b[^>]*>(.{1,200}?)</h\1>", re.IGNORECASE | re.DOTALL)


_FRONT_TITLE = re.compile(r"^title:[ \t]*[\"']?([^\"'\n]+)", re.MULTILINE)


def headings(text: str) -> list[tuple[int, int, str]]:
    """(offset, level, title) of the headings of a document, in order; the ``title:`` of a YAML front
    matter (Jekyll, Hugo, Docusaurus pages) is a heading at offset 0."""
    found = [(m.start(), len(m.group(1)), m.group(2)) for m in _ATX.finditer(text)]
    body = 0  # where the text after a front matter starts (its closing "---" underlines nothing)
    if text.startswith("---\n"):
        end = text.find("\n---", 3, 4096)
        title = _FRONT_TITLE.search(text, 4, end) if end > 0 else None
        if title:
            found.append((0, 1, title.group(1).strip()))
        body = end + 4 if end > 0 else 0
    for m in _UNDERLINE.finditer(text, body):
        start = text.rfind("\n", 0, m.start()) + 1
        title = text[start : m.start()].strip()
        if title and not title.startswith(("|", "-", "*", "#", "=")) and any(c.isalnum() for c in title):
            found.append((start, 1 if m.group(1)[0] == "=" else 2, title))
    if "<h" in text or "<H" in text:
        found += [(m.start(), int(m.group(1)), re.sub(r"<[^>]+>", "", m.group(2))) for m in _HTML_H.finditer(text)]
    return sorted(found)


def enclosing_titles(found: list[tuple[int, int, str]], pos: int) -> list[str]:
    """The document's title (its first heading) and the headings of the sections enclosing ``pos``."""
    titles = [found[0][2]] if found else []
    level = 7
    for offset, depth, title in reversed(found):
        if offset > pos or depth >= level:
            continue
        titles.append(title)
        level = depth
        if level == 1:
            break
    return titles


_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def on_topic(topic: re.Pattern[str], path: str, titles: list[str]) -> bool:
    """Is ``topic`` the subject of the file (its name) or of the section (its title or headings)?"""
    stem = path.rpartition("/")[2].rpartition(".")[0] or path.rpartition("/")[2]
    words = _CAMEL.sub(" ", re.sub(r"[_.-]+", " ", stem))  # TermsAndConditions: "Terms And Conditions"
    return bool(topic.search(words)) or any(topic.search(t) for t in titles)


@lru_cache(maxsize=8)
def _needle_table(patterns: tuple[Pattern, ...], extra: tuple[str, ...]) -> tuple[tuple[str, ...], dict]:
    """Every distinct needle once (sorted), and per kind of file: needle index -> the patterns of that
    kind it unlocks. Built once per process and set of patterns; ``extra`` needles unlock no pattern
    (the visitors' own, such as "spdx-license-identifier")."""
    needles = tuple(sorted({n for p in patterns for n in p.needles} | set(extra)))
    number = {n: i for i, n in enumerate(needles)}
    unlocks: dict[str, dict[int, list[Pattern]]] = {kind: {} for kind in sorted(ALL_TEXT)}
    for p in patterns:
        for kind in p.kinds & ALL_TEXT:
            for needle in p.needles:
                unlocks[kind].setdefault(number[needle], []).append(p)
    return needles, unlocks


@dataclass(slots=True)
class Scanner:
    """Runs every pattern over a file's text, and hands the text to the visitors.

    A pattern's regex runs only on the lines holding one of its needles, and only when the needle
    stage (``needles.NeedleSet``, one pass over the file) found one of them. ``scan_data`` takes a file's
    raw bytes and decodes them only when some needle occurs. Visitors see every file passed to ``scan``
    but, of those passed to ``scan_data``, only the files holding one of ``visitor_needles``: what a
    visitor looks for in other files must be keyed to such a needle, or those files must go through
    ``scan`` (the scan pass does that for the files the checks keep, root files among them).
    """

    patterns: list[Pattern]
    visitors: list[Callable[[FileEntry, str, str], None]] = field(default_factory=list)
    visitor_needles: tuple[str, ...] = ()
    backend: str | None = None
    hits: dict[str, list[Hit]] = field(default_factory=dict)
    needles: tuple[str, ...] = ()
    unlocks: dict[str, dict[int, list[Pattern]]] = field(default_factory=dict)
    finder: NeedleSet | None = None
    visitor_numbers: frozenset[int] = frozenset()
    order: dict[str, int] = field(default_factory=dict)
    by_name: dict[str, Pattern] = field(default_factory=dict)
    generated: list[str] = field(default_factory=list)  # own files found to be generated or minified

    def __post_init__(self) -> None:
        names = [p.name for p in self.patterns]
        if len(names) != len(set(names)):
            raise ValueError("pattern names must be unique")
        self.order = {name: n for n, name in enumerate(names)}
        self.by_name = {p.name: p for p in self.patterns}
        for p in self.patterns:
            self.hits.setdefault(p.name, [])
        self.needles, self.unlocks = _needle_table(tuple(self.patterns), tuple(self.visitor_needles))
        self.finder = needle_set(self.needles, self.backend)
        self.visitor_numbers = frozenset(self.needles.index(n) for n in self.visitor_needles)

    def scan(self, entry: FileEntry, text: str, window: int | None = None) -> None:
        window = window_for(entry) if window is None else window
        low = ascii_lower(text[:window])  # only the window: lowering a whole 512 KiB file was a hotspot
        for visitor in self.visitors:
            visitor(entry, text, low)
        if self.unlocks.get(entry.kind) and not entry.origin:  # others' files are read for licences only
            self._patterns(entry, text, low, window, self.finder.find(low))

    def scan_data(self, entry: FileEntry, data: bytes, window: int | None = None) -> None:
        """``scan`` for a file given as its first ``window`` bytes (not yet decoded)."""
        window = window_for(entry) if window is None else window
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16: the needles are found in the decoded text
            self.scan(entry, data.decode("utf-16", "replace"), window)
            return
        numbers = self.finder.find(data)
        if not numbers:
            return
        unlocks = self.unlocks.get(entry.kind) if not entry.origin else None  # others' files: licences only
        visit = not self.visitor_numbers.isdisjoint(numbers)
        if not visit and (not unlocks or unlocks.keys().isdisjoint(numbers)):
            return
        text = data.decode("utf-8", "replace")
        low = ascii_lower(text[:window])
        if visit:
            for visitor in self.visitors:
                visitor(entry, text, low)
        if unlocks:
            self._patterns(entry, text, low, window, numbers)

    def _patterns(self, entry: FileEntry, text: str, low: str, window: int, numbers: set[int]) -> None:
        unlocks = self.unlocks[entry.kind]
        active: dict[str, list[str]] = {}  # pattern name -> the needles of it found in this file
        for number in numbers:
            for p in unlocks.get(number, ()):
                active.setdefault(p.name, []).append(self.needles[number])
        if not active:
            return
        if entry.depth and looks_generated(entry.kind, low):  # a root file (README ...) is the project's front
            self.generated.append(entry.path)
            return
        same_offsets = len(low) == min(len(text), window)
        found_headings: list[tuple[int, int, str]] | None = None
        order = self.order
        for name in sorted(active, key=order.__getitem__):  # declaration order keeps results deterministic
            pattern = self.by_name[name]
            found = self.hits[name]
            if len(found) >= pattern.max_total:
                continue
            if pattern.path_filter is not None and not pattern.path_filter(entry.path):
                continue
            limit = min(pattern.head or window, window)
            matches = (self._line_matches(pattern, text, low, limit, active[pattern.name]) if same_offsets
                       else ((m.start(), m.group(m.lastindex) if m.lastindex else m.group(0))
                             for m in pattern.regex.finditer(text[:limit])))
            taken = 0
            for match_start, value in matches:
                if pattern.topic is not None:
                    if found_headings is None:
                        found_headings = headings(text[:window])
                    if not on_topic(pattern.topic, entry.path, enclosing_titles(found_headings, match_start)):
                        continue
                line, excerpt = excerpt_at(text, match_start)
                found.append(Hit(pattern.name, entry.path, line, excerpt, (value or "").strip()))
                taken += 1  # counts kept hits, not iterations
                if taken >= pattern.max_per_file or len(found) >= pattern.max_total:
                    break

    @staticmethod
    def _line_matches(pattern: Pattern, text: str, low: str, limit: int, needles: list[str]):
        """Run the (line-local) regex only on the lines where one of its needles (found in the file) occurs.

        On a very long line (minified code, a notebook's embedded image) only the stretch around each
        occurrence is examined, so one line of a megabyte is not searched again for every needle.
        The regions of all needles are visited in document order, each once, and only as far as the
        caller reads: a pattern that keeps two hits per file stops searching after them.
        """
        streams = [_needle_regions(low, needle, limit) for needle in needles]
        last = None
        for region in heapq.merge(*streams) if len(streams) > 1 else streams[0]:
            if region == last:
                continue
            last = region
            for match in pattern.regex.finditer(text, region[0], region[1]):
                yield match.start(), (match.group(match.lastindex) if match.lastindex else match.group(0))

    def get(self, name: str) -> list[Hit]:
        return self.hits.get(name, [])

    def any_of(self, names: Iterable[str]) -> list[Hit]:
        return [hit for name in names for hit in self.hits.get(name, [])]
