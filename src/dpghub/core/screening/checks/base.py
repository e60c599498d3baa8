"""What every check receives: the tree, the hits of the shared scan pass, the options."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from dpghub.core import standard
from dpghub.core.licensing import LicenseEvidence, SourceNotice
from dpghub.core.screening.report import Evidence, Licenses
from dpghub.core.screening.scan import Hit, Scanner, line_of
from dpghub.core.screening.tree import FileEntry, Tree

#: The categories a good can be screened as (the Standard's names, from dpghub.core.standard).
CATEGORIES = standard.CATEGORY_NAMES


def normalize_category(value: str) -> str | None:
    """The name of the assessed category written as ``value``: "Open Software", "open-software",
    "open_ai_model", "software" ... (None if unknown or no longer assessed)."""
    found = standard.category(value)
    return found.name if found is not None and found.assessed else None


@dataclass(slots=True)
class Context:
    tree: Tree
    scan: Scanner
    category: str = standard.OPEN_SOFTWARE.name
    declared: tuple[str, ...] = ()
    url_for: Callable[[str, int | None], str | None] = lambda path, line: None
    licence_evidence: list[LicenseEvidence] = field(default_factory=list)  # from the scan pass
    source_notices: list[SourceNotice] = field(default_factory=list)  # GNU notices in source headers
    licenses: Licenses | None = None  # filled by the licence check, read by the dependency check

    # -- evidence helpers ------------------------------------------------------------------------------
    def evidence(self, path: str, line: int | None = None, excerpt: str | None = None) -> Evidence:
        if excerpt is not None and len(excerpt) > 200:
            excerpt = excerpt[:199] + "…"
        return Evidence(path=path, line=line, url=self.url_for(path, line), excerpt=excerpt)

    def hit_evidence(self, hit: Hit) -> Evidence:
        return self.evidence(hit.path, hit.line, hit.excerpt)

    def file_evidence(self, entry: FileEntry, needle: str | None = None) -> Evidence:
        if needle:
            text = self.tree.text(entry)
            if text:
                line, excerpt = line_of(text, needle)
                if line is not None:
                    return self.evidence(entry.path, line, excerpt)
        return self.evidence(entry.path)

    # -- file look-ups -------------------------------------------------------------------------------
    def files_named(self, pattern: re.Pattern[str], *, dirs: Iterable[str] | None = ("", ".github", "docs")
                    ) -> list[FileEntry]:
        """The project's own files (``origin.py``) whose name matches ``pattern``, in the given directories
        (None: anywhere)."""
        candidates = (self.tree.own_files() if dirs is None
                      else (e for folder in dict.fromkeys(dirs) for e in self.tree.in_folder(folder)))
        found = [e for e in candidates if pattern.match(e.path.rpartition("/")[2])]
        return sorted(found, key=lambda e: (e.depth, e.path))


def names(*stems: str) -> re.Pattern[str]:
    """A case-insensitive file-name pattern: any of ``stems`` followed by nothing or an extension/suffix."""
    alternatives = "|".join(stems)
    return re.compile(rf"^(?:{alternatives})(?:[._-][\w.-]*)?$", re.IGNORECASE)


def unique_hits(hits: Iterable[Hit], limit: int = 5) -> list[Hit]:
    seen: set[tuple[str, int]] = set()
    result = []
    for hit in hits:
        key = (hit.path, hit.line)
        if key in seen:
            continue
        seen.add(key)
        result.append(hit)
        if len(result) >= limit:
            break
    return result
