"""Full-text licence matching over normalised word 5-grams (shingles).

How a text is matched (see docs/adr/0005-licence-detection.md):

1. The text and every reference licence text are normalised (``textnorm.tokenize``) and cut
   into overlapping 5-word shingles. Parts of a reference that licences mark as optional
   (titles, "How to apply" appendices, Creative Commons preambles ...) are excluded from its
   "core" shingles: a text may keep or drop them.
2. Candidates are the references whose core shingles are mostly present in the text
   (coverage). The best one is aligned with the text: the matched region ("span") is the
   densest cluster of shared shingles; text outside it (titles, copyright blocks, notes,
   other licences) does not count against the match.
3. Inside the span we count the changed words: runs of text shingles that the reference does
   not have (insertions/replacements) and runs of core reference shingles missing from the
   span (deletions). No change = "exact"; a few changed words (names, "author" for
   "copyright holder", a reflowed or re-bulleted list) = "dice"; more = a modified licence,
   reported as NOASSERTION, never as the licence it resembles.
4. The span is marked as explained and the search repeats on the rest, so a file with several
   licences concatenated yields one match per licence.
"""

from __future__ import annotations

import operator
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from importlib import resources
from itertools import pairwise

from .textnorm import Token, tokenize

__all__ = ["TextMatch", "match_text", "preload", "reference_ids"]

N = 5
# A reference needs this share of its core shingles in the text to be reported at all ...
MIN_COVERAGE_REPORT = 0.55
# ... and this share to be accepted as that licence.
MIN_COVERAGE_ACCEPT = 0.80
# Changed words tolerated inside a match: max(ABS, REL * core words).
MAX_CHANGED_ABS = 10
MAX_CHANGED_REL = 0.015
# A single inserted run longer than this is a modification, whatever the total.
MAX_INSERT_RUN = 12

# Optional regions of reference texts, as normalised phrases. "tail" = from the phrase to the
# end of the text; "head" = from the start of the text up to (not including) the phrase.
# Taken from the <<beginOptional>> parts of the SPDX templates, in our own words.
_OPTIONAL_TAIL = (
    "end of terms and conditions",
    "how to apply these terms to your new",
    "appendix how to apply the apache license",
    "creative commons is not a party to its public licenses",
    "for more information please refer to",
    "exhibit a source code form license notice",
)
_OPTIONAL_HEAD = (
    "by exercising the licensed rights",  # CC 4.0 preamble ("Using Creative Commons ...")
    "statement of purpose",  # CC0 preamble
    "terms and conditions for use reproduction and distribution",  # Apache title block
    "preamble the gnu general public license is a free",  # GPL title block
    "preamble the licenses for most software",  # GPL-2.0 / LGPL-2.1 title block
    "preamble the gnu affero general public license",
)
_TITLE_WORDS = 12  # the first words of a reference (its title) are always optional


@dataclass(frozen=True)
class TextMatch:
    spdx: str  # canonical SPDX id, or "NOASSERTION" for a modified/unknown licence text
    resembles: str | None  # for NOASSERTION: the licence it resembles most
    method: str  # "exact" | "dice" | "modified"
    confidence: float
    start_line: int
    end_line: int
    coverage: float  # share of the reference's core text found
    changed_words: int
    detail: str


@dataclass(frozen=True)
class _Ref:
    spdx: str
    title: str
    shingles: frozenset  # all shingles
    core: frozenset  # shingles outside optional regions
    core_seq: tuple  # core shingles in order, for deletion runs
    core_wordseq: tuple  # the words those shingles cover
    core_words: int
    counts: dict  # word counts of the whole reference text
    words: tuple  # every word of the reference, for the word-for-word fast path
    order: dict  # core shingle -> its first index in the core, to keep matches in the reference's order
    core_text: str  # " w1 w2 ... " of the core words, and of the optional parts before and after it
    head_text: str
    tail_text: str
    collapsed: str = ""  # _line_key of the reference text (see match_verbatim)


def _shingles(words: list[str]) -> list[int]:
    """Hashes of the overlapping N-word windows (ints: a tuple's hash is not cached, an int's
    is the int, and every shingle is looked up several times)."""
    return [hash(t) for t in zip(*(words[k:] for k in range(N)))]


def _find_phrase(words: list[str], phrase: str) -> int:
    p = phrase.split()
    k = len(p)
    first = p[0]
    for i in range(len(words) - k + 1):
        if words[i] == first and words[i : i + k] == p:
            return i
    return -1


_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
_SPDX_ID = re.compile(r"^spdx-id:\s*(\S+)", re.MULTILINE)
_TITLE = re.compile(r"^title:\s*(.+)$", re.MULTILINE)


def _canonical_id(spdx_id: str) -> str:
    # choosealicense uses deprecated ids (GPL-3.0 ...): map them to the current ones.
    from .expressions import canonical_id

    return canonical_id(spdx_id) or spdx_id


@lru_cache(maxsize=1)
def _references() -> tuple[_Ref, ...]:
    """Load and index the bundled reference texts, once per process."""
    refs = []
    folder = resources.files(__package__).joinpath("data", "texts")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".txt"):
            continue
        raw = entry.read_text(encoding="utf-8")
        fm = _FRONT_MATTER.match(raw)
        head = fm.group(0) if fm else ""
        body = raw[fm.end() :] if fm else raw
        m = _SPDX_ID.search(head)
        if not m:
            continue
        t = _TITLE.search(head)
        ws = [w for w, _ in tokenize(body)]
        sh = _shingles(ws)
        start = min(_TITLE_WORDS, max(0, len(ws) // 10))
        end = len(ws)
        for phrase in _OPTIONAL_HEAD:
            i = _find_phrase(ws, phrase)
            if i >= 0 and i < len(ws) // 3:
                start = max(start, i)
        for phrase in _OPTIONAL_TAIL:
            i = _find_phrase(ws, phrase)
            if i > len(ws) // 2:
                end = min(end, i)
        core_seq = tuple(sh[start : max(start, end - N + 1)])
        core_wordseq = tuple(ws[start : start + len(core_seq) + N - 1])
        refs.append(
            _Ref(
                spdx=_canonical_id(m.group(1)),
                title=t.group(1).strip() if t else m.group(1),
                shingles=frozenset(sh),
                core=frozenset(core_seq),
                core_seq=core_seq,
                core_wordseq=core_wordseq,
                core_words=max(1, end - start),
                counts=dict(Counter(ws)),
                words=tuple(ws),
                order={sh: i for i, sh in reversed(list(enumerate(core_seq)))},
                core_text=" " + " ".join(core_wordseq) + " ",
                head_text=" " + " ".join(ws[:start]) + " ",
                tail_text=" " + " ".join(ws[start + len(core_wordseq):]) + " ",
                collapsed=_line_key(body),
            )
        )
    return tuple(refs)


@lru_cache(maxsize=1)
def _core_index() -> dict[int, tuple[int, ...]]:
    """Core shingle -> indexes of the references that have it."""
    idx: dict[int, list[int]] = {}
    for r, ref in enumerate(_references()):
        for sh in ref.core:
            idx.setdefault(sh, []).append(r)
    return {k: tuple(v) for k, v in idx.items()}


@lru_cache(maxsize=1)
def _whole_texts() -> dict[tuple, _Ref]:
    """Reference word sequence -> reference: a file that is a reference word for word (after
    normalisation; about half the licence files of real repositories) needs no shingling."""
    return {ref.words: ref for ref in _references()}


@lru_cache(maxsize=1)
def _signatures() -> dict[int, tuple[str, ...]]:
    """Per reference, the few words of its core that the fewest other cores have: a text that holds
    the core word for word holds them, so a text lacking one needs no substring search for it."""
    refs = _references()
    spread = Counter(w for ref in refs for w in set(ref.core_wordseq))
    return {id(ref): tuple(sorted(set(ref.core_wordseq), key=lambda w: (spread[w], -len(w), w))[:3])
            for ref in refs}  # keyed by identity: the references live as long as the process


def _cores_in(words: list[str], refs: tuple[_Ref, ...]) -> Iterator[tuple[_Ref, int, str]]:
    """(reference, offset, joined text) for each reference, in the given order, whose core the text
    holds word for word; ``joined`` is " w1 w2 ... " of the text's words."""
    if len(words) < 40:
        return
    present = set(words)
    signatures = _signatures()
    joined = None
    for ref in refs:
        if not all(w in present for w in signatures[id(ref)]):
            continue  # a word of its core is missing: the core cannot be there
        if joined is None:
            joined = " " + " ".join(words) + " "
        at = joined.find(ref.core_text)
        if at >= 0:
            yield ref, at, joined


def _core_with_optional_parts(words: list[str]) -> _Ref | None:
    """The reference whose core the text holds word for word, with nothing else around it but
    (parts of) the reference's own optional title, preamble or appendix; None otherwise. Plain
    substring searches, so a verbatim copy of a long licence costs microseconds, not shingling."""
    for ref, at, joined in _cores_in(words, _references()):
        before, after = joined[: at + 1], joined[at + len(ref.core_text) - 1 :]
        if (before == " " or before in ref.head_text) and (after == " " or after in ref.tail_text):
            return ref
    return None


@lru_cache(maxsize=1)
def _longest_first() -> tuple[_Ref, ...]:
    return tuple(sorted(_references(), key=lambda r: -len(r.core_wordseq)))


@lru_cache(maxsize=1)
def _by_spdx() -> dict[str, _Ref]:
    return {ref.spdx: ref for ref in _references()}


def _verbatim_core(words: list[str]) -> tuple[_Ref, int, int] | None:
    """(reference, first word, end word) of the longest reference core that the text holds word for
    word, grown over the words of the reference's own title or preamble just before it and of its
    appendix just after it. Plain substring searches: a verbatim licence after a history or a note
    costs microseconds to find, not the shingling of the whole text."""
    for ref, at, joined in _cores_in(words, _longest_first()):
        first = joined.count(" ", 0, at + 1) - 1
        end = first + len(ref.core_wordseq)
        head, cut = ref.head_text, len(ref.head_text) - 1  # head_text[:cut] ends with the words taken so far
        while first > 0 and head.endswith(f" {words[first - 1]} ", 0, cut + 1):
            first -= 1
            cut -= len(words[first]) + 1
        tail, pos = ref.tail_text, 0
        while end < len(words) and tail.startswith(f" {words[end]} ", pos):
            pos += len(words[end]) + 1
            end += 1
        return ref, first, end
    return None


def _line_key(text: str) -> str:
    """The non-blank lines of a text, lowered, each with its runs of blanks made one space. Two texts
    with the same key tokenise to the same words (the normalisation works line by line)."""
    text = text.lower()
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(" ".join(line.split()) for line in text.split("\n") if line and not line.isspace())


@lru_cache(maxsize=1)
def _collapsed_texts() -> dict[str, _Ref]:
    return {ref.collapsed: ref for ref in _references()}


def match_verbatim(text: str) -> list[TextMatch] | None:
    """The match of a file that is a reference text line for line, up to case, blank lines and
    blanks (many copies of the long licences: GPL, Apache, MPL ...), without tokenising it; None
    when it is not (then :func:`match_text` decides). Same answer as match_text on such a file."""
    ref = _collapsed_texts().get(_line_key(text))
    if ref is None:
        return None
    lines = text.split("\n")
    first = next(n for n, line in enumerate(lines) if tokenize(line))
    last = next(n for n in range(len(lines) - 1, -1, -1) if tokenize(lines[n]))
    return [TextMatch(ref.spdx, None, "exact", 1.0, first + 1, last + 1, 1.0, 0,
                      f"matches the {ref.title} text word for word")]


def preload() -> None:
    """Load and index the reference texts now (a long-lived worker pays this once, up front)."""
    _references()
    _signatures()
    _core_index()
    _whole_texts()
    _longest_first()
    _by_spdx()
    _collapsed_texts()


def reference_ids() -> tuple[str, ...]:
    """SPDX ids of the bundled reference texts."""
    return tuple(r.spdx for r in _references())


# Words that change what a licence permits when inserted into a known text ("not", "non-
# commercial", "evil" as in "shall be used for Good, not Evil"). Inserting one of them turns a
# match into a modified licence even when the text is otherwise a near copy.
_CRITICAL = frozenset(
    ["not", "no", "never", "nor", "noncommercial", "non", "commercial", "prohibited", "forbidden", "except", "excluding", "military", "evil", "good", "harm", "solely", "only", "nonprofit", "revocable", "terminate"]
)


# Words of reference texts that are placeholders in the SPDX templates (copyright holder,
# author ...): deleting them, as when a name is put in their place, is not a change.
_VARIABLE_WORDS = frozenset(
    ["the", "copyright", "holder", "holders", "owner", "owners", "its", "author", "authors", "contributors", "regents", "university", "project", "software", "name", "of"]
)


def _uncovered_runs(shingles, known, words) -> list[list[str]]:
    """Runs of words not covered by any shingle in ``known`` (the words of ``shingles``).

    A word is covered when at least one of the (up to N) shingles containing it is known.
    Only the runs of unknown shingles are visited, so a near-identical text costs little.
    """
    n = len(shingles)
    if n == 0:
        return []
    unknown = [i for i, sh in enumerate(shingles) if sh not in known]
    if not unknown:
        return []
    runs: list[list[str]] = []
    i = prev = unknown[0]
    for k in unknown[1:] + [None]:
        if k is not None and k == prev + 1:
            prev = k
            continue
        j = prev  # shingles i..j are unknown, i-1 and j+1 (if any) are known
        first = i + N - 1 if i > 0 else 0
        last = j if j < n - 1 else n + N - 2
        if first <= last:
            runs.append(list(words[first : last + 1]))
        if k is not None:
            i = prev = k
    return runs


def _changes(runs: list[list[str]], _words) -> int:
    """Changed-word count; a one-word substitution repeated through the text (a product name
    put where the template says "project") counts once."""
    singles = {r[0] for r in runs if len(r) == 1}
    return len(singles) + sum(len(r) for r in runs if len(r) > 1)


def _word_diff(ins_runs: list[list[str]], del_runs: list[list[str]]) -> tuple[list[list[str]], list[list[str]]]:
    """Narrow each inserted run and the deleted run it replaces to the words that really differ.

    A substitution makes every shingle around it unknown, so the uncovered runs on both sides also
    hold the unchanged words between nearby edits ("names of the Mozilla Foundation nor the names of
    project" for "name of the copyright holder nor the names of its"). Paired runs (sharing two or
    more words) are compared word by word; only the unmatched stretches remain.
    """
    ins_out: list[list[str]] = []
    used: set[int] = set()
    del_out: list[list[str]] = []
    for run in ins_runs:
        words = set(run)
        k = next((k for k, d in enumerate(del_runs) if k not in used and len(words & set(d)) >= 2), None)
        if k is None:
            ins_out.append(run)
            continue
        used.add(k)
        other = del_runs[k]
        for tag, i1, i2, j1, j2 in SequenceMatcher(None, run, other, autojunk=False).get_opcodes():
            if tag == "equal":
                continue
            if i2 > i1:
                ins_out.append(run[i1:i2])
            if j2 > j1:
                del_out.append(other[j1:j2])
    del_out += [d for k, d in enumerate(del_runs) if k not in used]
    return ins_out, del_out


ANCHOR = 8  # consecutive shared shingles (~12 words) that anchor a region's ends


def _ordered_anchors(core_pos: list[int], tsh: list[int], order: dict[int, int]) -> tuple[int, int] | None:
    """Anchors that respect the reference's order: the run of >= ANCHOR consecutive shared shingles
    that starts earliest *in the reference* opens the region, the one that ends latest closes it.

    A phrase two licences share (the Apache and MPL limitation-of-liability clauses) can appear in
    the text before the licence it belongs to; as the first run in text order it would stretch the
    region back over the other licence. None when the runs do not give a forward region.
    """
    n = len(core_pos)
    bounds = [0, *(k for k, x, y in zip(range(1, n), core_pos, core_pos[1:]) if y != x + 1), n]
    runs = [(core_pos[b0], core_pos[b1 - 1]) for b0, b1 in pairwise(bounds) if b1 - b0 >= ANCHOR]
    if not runs:
        return None
    first = min(runs, key=lambda r: (order.get(tsh[r[0]], 1 << 30), r[0]))[0]
    last = max(runs, key=lambda r: (order.get(tsh[r[1]], -1), r[1]))[1]
    return (first, last) if first <= last else None


def _anchors(core_pos: list[int]) -> tuple[int, int]:
    """First position of the first run of >= ANCHOR consecutive positions, last of the last."""
    n = len(core_pos)
    first = last = None
    run = 1
    for k in range(1, n):
        run = run + 1 if core_pos[k] == core_pos[k - 1] + 1 else 1
        if run >= ANCHOR:
            first = core_pos[k - run + 1]
            break
    if first is None:
        return core_pos[0], core_pos[-1]
    run = 1
    for k in range(n - 2, -1, -1):
        run = run + 1 if core_pos[k] == core_pos[k + 1] - 1 else 1
        if run >= ANCHOR:
            last = core_pos[k + run - 1]
            break
    return first, last if last is not None else core_pos[-1]


def _span(positions: list[int], gap: int) -> tuple[int, int, int]:
    """Densest cluster of sorted positions: (first, last, count)."""
    if len(positions) < 2 or max(map(operator.sub, positions[1:], positions[:-1])) <= gap:
        return positions[0], positions[-1], len(positions)
    best = (positions[0], positions[0], 1)
    s, cnt = positions[0], 1
    prev = positions[0]
    for p in positions[1:]:
        if p - prev > gap:
            if cnt > best[2]:
                best = (s, prev, cnt)
            s, cnt = p, 0
        cnt += 1
        prev = p
    if cnt > best[2]:
        best = (s, prev, cnt)
    return best


def match_text(text: str | list[Token]) -> list[TextMatch]:
    """All licence texts found in ``text``, in order of appearance. [] when none resembles one."""
    tokens = tokenize(text) if isinstance(text, str) else text
    if len(tokens) < N:
        return []
    words = [w for w, _ in tokens]
    whole = _whole_texts().get(tuple(words)) or _core_with_optional_parts(words)
    if whole is not None:
        return [TextMatch(whole.spdx, None, "exact", 1.0, tokens[0][1], tokens[-1][1], 1.0, 0,
                          f"matches the {whole.title} text word for word")]
    verbatim = _verbatim_core(words)
    if verbatim is not None:
        ref, first, end = verbatim
        found = TextMatch(ref.spdx, None, "exact", 1.0, tokens[first][1], tokens[end - 1][1], 1.0, 0,
                          f"matches the {ref.title} text word for word")
        # What is around it is matched on its own, each licence reported once (as the alignment does).
        # When a licence around it is a longer text that contains this one (the PSF agreement opens
        # the Python licence), the whole text goes through the alignment below instead.
        around, seen = [], {ref.spdx}
        for m in match_text(tokens[:first]) + match_text(tokens[end:]):
            other = _by_spdx().get(m.resembles or m.spdx)
            if other is not None and other is not ref and len(ref.core & other.shingles) >= 0.9 * len(ref.core):
                break
            if (m.resembles or m.spdx) not in seen:
                seen.add(m.resembles or m.spdx)
                around.append(m)
        else:
            return sorted([found, *around], key=lambda m: m.start_line)
    tsh = _shingles(words)
    covered = [False] * len(tsh)
    refs = _references()
    index = _core_index()
    results: list[TextMatch] = []
    tried: set[str] = set()
    # shingle -> its positions in the text, so that each round costs what the matches cost, not the
    # text's length (a notices file of many licences goes round once per licence)
    where: dict[int, list[int]] = {}
    get = where.get
    for i, sh in enumerate(tsh):
        at = get(sh)
        if at is None:
            where[sh] = [i]
        else:
            at.append(i)
    free = set(where)  # shingles with at least one position not yet explained
    uncovered = {sh: len(at) for sh, at in where.items()}  # positions of each shingle not yet explained
    # per reference, its core shingles among the free shingles of the text: counted once through the
    # inverted index, then kept up to date as shingles are explained (a round costs what it explains)
    posting = {sh: index[sh] for sh in free if sh in index}
    hits = [0] * len(refs)
    for rs in posting.values():
        for r in rs:
            hits[r] += 1
    while True:
        if len(free) < N:
            break
        cands = [
            (h, refs[r]) for r, h in enumerate(hits)
            if h and refs[r].spdx not in tried and h >= MIN_COVERAGE_REPORT * len(refs[r].core)
        ]
        if not cands:
            break
        # align the few references that explain most of the text; keep the best alignment
        cands.sort(key=lambda c: -c[0])
        aligned = []
        top = cands[0][0]
        for hit, ref in cands[:3]:
            if hit < 0.8 * top:
                break
            m = _align(tokens, tsh, covered, ref, where, free, words)
            if m is not None:
                rank = (m[0].method != "modified", -m[0].changed_words, hit)
                aligned.append((rank, m))
                if m[0].method == "exact":
                    break
        if not aligned:
            tried.update(r.spdx for _, r in cands[:3])
            continue
        aligned.sort(key=lambda a: a[0], reverse=True)
        m = aligned[0][1]
        tried.add(m[0].resembles or m[0].spdx)
        results.append(m[0])
        s, e = m[1]
        for i in range(s, min(e + 1, len(covered))):
            if covered[i]:
                continue
            covered[i] = True
            sh = tsh[i]
            uncovered[sh] -= 1
            if not uncovered[sh]:  # every position of this shingle is now explained
                free.discard(sh)
                for r in posting.get(sh, ()):
                    hits[r] -= 1
    results.sort(key=lambda r: r.start_line)
    return results


def _align(tokens, tsh, covered, ref: _Ref, where: dict[int, list[int]], free: set[int], words: list[str]):
    shingles = ref.shingles
    if len(tsh) <= 4 * len(shingles):  # one pass over the text costs less than sorting the positions
        positions = [i for i, sh in enumerate(tsh) if sh in shingles and not covered[i]]
    else:  # a long text (a notices file): visit only the positions of the reference's shingles
        positions = sorted(i for sh in (shingles & free) for i in where[sh] if not covered[i])
    if not positions:
        return None
    gap = max(60, ref.core_words // 5)
    s, e, _ = _span(positions, gap)
    # The region ends with the last shingle of the reference seen for the first time: text after it
    # that shares only already-matched shingles (a second, similar licence such as a 0BSD notice after
    # the Python licence's own disclaimer) is not part of this licence.
    # Scanned backwards: the last position whose shingle has no earlier unexplained position in [s, e].
    last_new = s
    for i in range(e, s, -1):
        sh = tsh[i]
        if sh in shingles and not covered[i]:
            at = where[sh]
            if at[0] == i or not any(s <= j < i and not covered[j] for j in at):
                last_new = i
                break
    e = last_new
    span_set = set(tsh[s : e + 1])
    # changes are counted between the first and the last shingle of the reference's core:
    # what the text has in the optional parts (appendix, title) does not matter
    core_pos = [i for i in range(s, e + 1) if tsh[i] in ref.core]
    if not core_pos:
        return None
    # anchor the region on long runs of shared text: a stray shared phrase in a neighbouring
    # licence or note must not stretch the region over it
    a, b = _ordered_anchors(core_pos, tsh, ref.order) or _anchors(core_pos)
    # the region this licence explains: from the anchors, grown over adjacent text that the
    # reference has (its title before, its appendix after), never over a gap of N words
    s2 = a
    while s2 - 1 >= s and tsh[s2 - 1] in ref.shingles:
        s2 -= 1
    e2 = b
    while e2 + 1 <= e and any(sh in ref.shingles for sh in tsh[e2 + 1 : e2 + 1 + N]):
        e2 += 1
    s, e = s2, e2
    # Words of the text (between a and b) that no shared shingle covers were inserted or
    # replaced; words of the reference core that no shingle of the span covers were deleted.
    ins_runs = _uncovered_runs(tsh[a : b + 1], ref.shingles, words[a : b + N])
    del_runs = _uncovered_runs(ref.core_seq, span_set, ref.core_wordseq)
    ins_runs, del_runs = _word_diff(ins_runs, del_runs)
    ins_words = [len(r) for r in ins_runs]
    # template variables: "the copyright holder", "its contributors" replaced by a name
    del_runs = [k for k in ([w for w in r if w not in _VARIABLE_WORDS] for r in del_runs) if k]
    changed = _changes(ins_runs, None) + _changes(del_runs, None)
    inserted_text = {w for r in ins_runs for w in r} & _CRITICAL
    critical = []
    if inserted_text:  # only when the text has more of that word than the reference
        region = Counter(words[a : b + N])
        critical = sorted(w for w in inserted_text if region[w] > ref.counts.get(w, 0))
    span_cov = len(ref.core & span_set) / len(ref.core)
    start_line = tokens[s][1]
    end_line = tokens[min(e + N - 1, len(tokens) - 1)][1]
    allowed = max(MAX_CHANGED_ABS, int(MAX_CHANGED_REL * ref.core_words))
    pct = round(span_cov * 100)
    if changed == 0 and span_cov >= 0.999:
        return (
            TextMatch(ref.spdx, None, "exact", 1.0, start_line, end_line, span_cov, 0,
                      f"matches the {ref.title} text word for word"),
            (s, e),
        )
    big_insert = max(ins_words, default=0)
    if span_cov >= MIN_COVERAGE_ACCEPT and changed <= allowed and big_insert <= MAX_INSERT_RUN and not critical:
        conf = round(max(0.5, min(0.99, span_cov - changed / (4 * ref.core_words))), 3)
        return (
            TextMatch(ref.spdx, None, "dice", conf, start_line, end_line, span_cov, changed,
                      f"{pct}% of the {ref.title} text found, {changed} word(s) differ"),
            (s, e),
        )
    if span_cov < MIN_COVERAGE_REPORT:
        return None
    what = []
    if critical:
        what.append("added restrictive word(s) " + ", ".join(f"'{w}'" for w in critical))
    if big_insert > MAX_INSERT_RUN:
        what.append(f"a passage of about {big_insert} words not in it")
    what.append(f"{changed} changed word(s)")
    return (
        TextMatch("NOASSERTION", ref.spdx, "modified", round(span_cov * 0.5, 3), start_line, end_line,
                  span_cov, changed,
                  f"resembles {ref.spdx} ({pct}% of its text) but has {' and '.join(what)} "
                  f"(lines {start_line}-{end_line}): a modified or different licence"),
        (s, e),
    )
