"""DPGA data (publicgoods-candidates 2020-2023 and the registry API 2022-): parse, repair, match.

Django-free. :func:`files_find` lists the JSON files under paths, :func:`file_parse` reads one
file (shape detected from its content), :func:`records_group` decides which records are one good.
"""

from __future__ import annotations

from pathlib import Path

from dpghub.core.formats.dpga.matching import GoodKeys, Group, name_normalise, records_group, reviews_match
from dpghub.core.formats.dpga.parse import document_parse, file_parse, shape_detect
from dpghub.core.formats.dpga.records import MalformedFile, ParsedFile, SourceRecord

__all__ = [
    "GoodKeys", "Group", "MalformedFile", "ParsedFile", "SourceRecord", "document_parse", "file_parse",
    "files_find", "name_normalise", "records_group", "reviews_match", "shape_detect",
]


def files_find(paths: list[str | Path]) -> list[Path]:
    """The JSON files named or found (recursively) under ``paths``, sorted, without duplicates.

    A path that does not exist raises :class:`MalformedFile`.
    """
    found: dict[Path, None] = {}
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*.json")):
                if child.is_file():
                    found[child.resolve()] = None
        elif path.is_file():
            found[path.resolve()] = None
        else:
            raise MalformedFile(str(path), "no such file or folder")
    return sorted(found)
