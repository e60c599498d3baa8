"""Spelling correction of search words against the catalogue's own vocabulary (docs/adr/0015-list-spelling-public-reads.md).

The vocabulary is every word of the search documents as written (``SearchWord``, kept by
``goods_reindex``), so it works the same on SQLite and PostgreSQL and knows the catalogue's
names, organisations, countries and sectors. A word that is not in it is replaced by the known
word nearest to it (rapidfuzz's optimal string alignment distance: an insertion, deletion,
substitution or swap of two neighbouring letters counts one), within 1 edit of known words of up
to 5 letters and 2 edits of longer ones. Ties go first to a word made of the same letters (a
swapped pair, a dropped repeat: "identiy" is "identity" rather than "identify"), then to the word
in most documents, then the shorter plain Levenshtein distance, then alphabetical order. The last
word of a search is read as a prefix (search as you type), so it is left alone when a known word
starts with it. The selectors correct only a text that matches no good at all, and keep the
correction only if it matches goods.

The vocabulary is held per process, like the facet index, loaded on the first correction after
the catalogue's index version changes (a reindex, or a delete).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from django.db import connection
from rapidfuzz import process
from rapidfuzz.distance import OSA, Levenshtein

from dpghub.catalog import facet_index

#: Words of the vocabulary: letters only (no digits or underscores), 3 to 40 of them.
_WORD = re.compile(r"[^\W\d_]{3,40}")
#: Words shorter than this are never corrected (too many neighbours to guess right).
MIN_LENGTH = 4


def vocabulary_words(text: str) -> set[str]:
    """The distinct vocabulary words of ``text`` (lower case)."""
    return set(_WORD.findall(text.lower()))


def max_distance(word: str) -> int:
    """Edits allowed between a typed word and the known ``word``: 1 up to 5 letters, else 2."""
    return 1 if len(word) <= 5 else 2


#: The most edits any correction allows (max_distance of a long word).
MAX_EDITS = 2


@dataclass(frozen=True)
class Vocabulary:
    version: int | None
    #: word -> number of documents having it
    documents: dict[str, int]
    #: the words, sorted (for prefix look-ups)
    ordered: list[str]
    #: words by length, for the candidates of a word (lengths within the allowed distance)
    by_length: dict[int, list[str]]

    def has_prefix(self, prefix: str) -> bool:
        at = bisect.bisect_left(self.ordered, prefix)
        return at < len(self.ordered) and self.ordered[at].startswith(prefix)

    def nearest(self, word: str) -> str | None:
        """The known word nearest to ``word`` within the distance it allows, or None."""
        limit = MAX_EDITS
        choices = [w for length in range(len(word) - limit, len(word) + limit + 1)
                   for w in self.by_length.get(length, ())]
        found = process.extract(word, choices, scorer=OSA.distance, score_cutoff=limit, limit=None)
        found = [item for item in found if item[1] <= max_distance(item[0])]
        if not found:
            return None
        letters = set(word)
        best = min(found, key=lambda item: (item[1], set(item[0]) != letters, -self.documents[item[0]],
                                            Levenshtein.distance(word, item[0]), item[0]))
        return best[0]


def vocabulary() -> Vocabulary:
    """The vocabulary of the catalogue as it is now (one primary-key query when the cache is current)."""
    return _cached.get()


def clear() -> None:
    _cached.clear()


def _load(version: int | None) -> Vocabulary:
    with connection.cursor() as cursor:
        cursor.execute("SELECT word, documents FROM catalog_searchword")
        documents = dict(cursor.fetchall())
    by_length: dict[int, list[str]] = {}
    for word in documents:
        by_length.setdefault(len(word), []).append(word)
    return Vocabulary(version=version, documents=documents, ordered=sorted(documents), by_length=by_length)


def corrected(words: list[str]) -> list[str] | None:
    """``words`` with each unknown word replaced by its nearest known word; None if none changed."""
    vocab = vocabulary()
    out: list[str] = []
    changed = False
    for position, word in enumerate(words):
        replacement = word
        known = word in vocab.documents or (position == len(words) - 1 and vocab.has_prefix(word))
        if not known and len(word) >= MIN_LENGTH and _WORD.fullmatch(word):
            replacement = vocab.nearest(word) or word
        changed |= replacement != word
        out.append(replacement)
    return out if changed else None


def alternatives(words: list[str], *, limit: int = 3) -> list[list[str]]:
    """Up to ``limit`` other searches to offer when ``words`` find nothing: the first unknown word
    replaced by each of the known words nearest to it (one edit further than a correction goes)."""
    vocab = vocabulary()
    for position, word in enumerate(words):
        if word in vocab.documents or len(word) < MIN_LENGTH - 1 or not _WORD.fullmatch(word):
            continue
        reach = MAX_EDITS + 1
        choices = [w for length in range(len(word) - reach, len(word) + reach + 1)
                   for w in vocab.by_length.get(length, ())]
        found = process.extract(word, choices, scorer=OSA.distance, score_cutoff=reach, limit=None)
        found.sort(key=lambda item: (item[1], -vocab.documents[item[0]], item[0]))
        return [[*words[:position], candidate, *words[position + 1:]] for candidate, _d, _i in found[:limit]]
    return []


_cached: facet_index.PerCatalogueVersion[Vocabulary] = facet_index.PerCatalogueVersion(_load)
