"""Which of a set of literal needles occur in a text: the first stage of the scan pass.

Every needle is lower-case; a text matches it when the text, with A-Z lowered (``scan.ascii_lower``),
contains it. Two interchangeable backends give the same answer (tests/core/screening/test_needles.py):

* Hyperscan (``hyperscan``, Intel's SIMD multi-pattern matcher): one literal database compiled once
  per process, ASCII-caseless (exactly the lowering above) and single-match (each needle is reported
  once, however often it occurs), scanning the raw UTF-8 bytes, so a file without a needle is never
  decoded. Wheels exist for x86-64 Linux, macOS and Windows.
* ahocorasick-rs (a Rust DFA), on the lowered bytes: where Hyperscan has no wheel (for instance Linux
  on ARM), or when a caller asks for it by name.

Both scan bytes; a ``str`` is encoded as UTF-8 first, which keeps the needles' matches (they are
ASCII or whole UTF-8 sequences such as "©").
"""

from __future__ import annotations

import threading
from functools import lru_cache

import ahocorasick_rs

try:  # optional: not built for every platform
    import hyperscan
except ImportError:  # pragma: no cover - depends on the platform
    hyperscan = None

BACKENDS = ("hyperscan", "ahocorasick")


def default_backend() -> str:
    return "hyperscan" if hyperscan is not None else "ahocorasick"


class NeedleSet:
    """``find(data)``: the indexes (into ``needles``) of the needles that occur in ``data``."""

    def __init__(self, needles: tuple[str, ...], backend: str | None = None) -> None:
        for needle in needles:
            if not needle or needle != needle.lower() or (needle.isascii() and not needle.isprintable()):
                raise ValueError(f"needle {needle!r} must be a non-empty, lower-case, printable string")
        self.needles = needles
        self.backend = backend or default_backend()
        if self.backend == "hyperscan":
            if hyperscan is None:
                raise ValueError("the hyperscan backend is not installed on this platform")
            self._db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
            flags = hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_SINGLEMATCH
            self._db.compile(expressions=[n.encode("utf-8") for n in needles], ids=list(range(len(needles))),
                             elements=len(needles), flags=[flags] * len(needles), literal=True)
            self._local = threading.local()  # a scratch space per thread (Hyperscan's rule)
        elif self.backend == "ahocorasick":
            self._ac = ahocorasick_rs.BytesAhoCorasick([n.encode("utf-8") for n in needles],
                                                       implementation=ahocorasick_rs.Implementation.DFA)
        else:
            raise ValueError(f"unknown needle backend {self.backend!r}: use one of {', '.join(BACKENDS)}")

    def find(self, data: bytes | str) -> set[int]:
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogatepass")
        if not data:
            return set()
        if self.backend == "hyperscan":
            scratch = getattr(self._local, "scratch", None)
            if scratch is None:
                scratch = self._local.scratch = hyperscan.Scratch(self._db)
            found: set[int] = set()
            self._db.scan(data, match_event_handler=_collect, context=found, scratch=scratch)
            return found
        return {number for number, _start, _end in self._ac.find_matches_as_indexes(data.lower(), overlapping=True)}


def _collect(number: int, _start: int, _end: int, _flags: int, found: set[int]) -> None:
    found.add(number)


@lru_cache(maxsize=16)
def needle_set(needles: tuple[str, ...], backend: str | None = None) -> NeedleSet:
    """Compiled once per process and set of needles."""
    return NeedleSet(needles, backend)
