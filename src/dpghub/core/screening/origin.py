"""Which files are the project's own: the one notion of "not the project's own" used by the screening.

A repository carries files that speak for someone else: vendored dependencies, SDKs copied in with their
own licence (a Unity project's ``Assets/Oculus/``), test fixtures that invent owners and policies,
benchmark corpora that name other projects, generated and minified files. None of them is evidence
that the project itself names an owner (indicator 3), documents itself (5), offers data export (6),
has policies (7, 9) or follows standards (8). Each file gets an *origin*: ``""`` for the project's own,
otherwise the reason it is not:

- ``vendored``: under a package manager's folder (``node_modules``, ``vendor`` ...; :data:`VENDOR_DIRS`,
  the folders the licence reader has always skipped, which the ``vendored`` flag of a file still means);
- ``third_party``: under a folder named for bundled third-party code (``ThirdParty``, ``extern``,
  ``Pods`` ...), or under a folder with its own licence file naming another copyright holder than the
  root licence (:func:`mark_components`);
- ``tests``: tests and their fixtures (``tests/``, ``__tests__/``, ``fixtures/``, ``testdata/`` ...);
- ``benchmark``: benchmarks and their corpora (``bench/``, ``benchmarks/`` ...);
- ``generated``: build and report output (``dist/``, ``_build/``, ``htmlcov/``, ``generated/`` ...),
  files named so (``*.min.*``, ``*.bundle.*``, ``*_pb2.py``, ``*.pb.go``, ``*.g.dart`` ...) and, found while scanning, source files marked as generated ("DO NOT EDIT", "@generated") and
  minified code (:func:`looks_generated`).

The licence check (indicator 2) is unchanged by this: it skips only the ``vendored`` files, as it
always did (its results are benchmarked), and reads licence evidence from the other files as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover - typing only (tree imports this module)
    from dpghub.core.screening.tree import Tree

VENDORED = "vendored"
THIRD_PARTY = "third_party"
TESTS = "tests"
BENCHMARK = "benchmark"
GENERATED = "generated"
# How a reviewer reads each reason (the report keeps the code, the renderers this phrase).
REASON_PHRASES = {
    VENDORED: "vendored dependencies",
    THIRD_PARTY: "bundled third-party code",
    TESTS: "tests and test fixtures",
    BENCHMARK: "benchmarks and their data",
    GENERATED: "generated or minified files",
}

# The licence reader's folders (case-sensitive, as they always were): a file under one is "vendored".
VENDOR_DIRS = frozenset({"node_modules", "vendor", "vendored", "third_party", "third-party", "bower_components",
                         "jspm_packages"})
# Folder name (lower case) -> reason. The first folder of a path that is named here decides.
FOLDER_REASONS: dict[str, str] = {
    **{name.lower(): VENDORED for name in VENDOR_DIRS},
    **dict.fromkeys(("thirdparty", "3rdparty", "3rd-party", "3rd_party", "extern", "externals", "pods",
                     "carthage", "site-packages"), THIRD_PARTY),
    **dict.fromkeys(("test", "tests", "__tests__", "spec", "e2e", "cypress", "fixtures", "__fixtures__",
                     "testdata", "test_data", "test-data", "__snapshots__", "__mocks__", "cassettes"), TESTS),
    **dict.fromkeys(("bench", "benches", "benchmark", "benchmarks"), BENCHMARK),
    **dict.fromkeys(("dist", "_build", "htmlcov", "coverage", "generated", "__generated__", "javadoc", "apidocs"),
                    GENERATED),
}


@lru_cache(maxsize=16384)
def folder_origin(folder: str) -> tuple[str, str]:
    """(reason, folder prefix ending in "/") for a folder that is not the project's own, else ("", "")."""
    if not folder:
        return "", ""
    parts = folder.split("/")
    for index, part in enumerate(parts):
        reason = FOLDER_REASONS.get(part.lower())
        if reason is not None:
            return reason, "/".join(parts[: index + 1]) + "/"
    return "", ""


# Names of generated files: minified bundles (pdf.worker.min.mjs), protobuf and Dart code generators.
_GENERATED_SUFFIXES = ("_pb2.py", "_pb2_grpc.py", ".pb.go", ".g.dart", ".freezed.dart")


def name_origin(name: str) -> str:
    """GENERATED for a file whose name says it is generated or minified, else ""."""
    if ".min." in name or ".bundle." in name or ".generated." in name or name.endswith(_GENERATED_SUFFIXES):
        return GENERATED
    return ""


# --- folders with their own licence naming another holder ----------------------------------------------

_COMPONENT_LICENCE = re.compile(r"^(?:LICEN[CS]E|COPYING)(?:[._-][\w.-]*)?$", re.IGNORECASE)
_ROOT_LEGAL = re.compile(r"^(?:LICEN[CS]E|COPYING|COPYRIGHT|NOTICE)(?:[._-][\w.-]*)?$", re.IGNORECASE)
# Words that say nothing about who a holder is ("Foo Inc. and its affiliates", "The Foo Authors").
_HOLDER_FILLER = frozenset({"the", "and", "its", "of", "for", "inc", "llc", "ltd", "limited", "gmbh", "corp",
                            "corporation", "company", "co", "affiliates", "authors", "author", "contributors",
                            "contributor", "foundation", "project", "team", "org", "all", "rights", "reserved",
                            "other", "others", "community", "developers", "group", "university", "com", "www"})
MAX_COMPONENT_LICENCES = 200


def _holder_words(holder: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", holder.lower()) if len(w) > 1 and w not in _HOLDER_FILLER}


def same_owner(holders: Iterable[str], others: Iterable[str]) -> bool:
    """Do two sets of copyright holders share a name ("Clinic Records Authors" and "Clinic Records
    contributors" do; "Facebook Technologies, LLC" and "Kids Foundation" do not)?"""
    words = set().union(*(_holder_words(h) for h in holders))
    return any(words & _holder_words(other) for other in others)


def mark_components(tree: Tree, holders_in: Callable[[str], list[str]]) -> list[str]:
    """Mark as third-party every folder whose own licence file names copyright holders that share no
    name with the holders the root licence, COPYRIGHT or NOTICE file names; return those folders.

    Nothing is marked when the root names no holder (there is nothing to compare with) or when the
    folder's licence names none (a copy of the project's licence text). The files read here are the
    ones the licence check reads anyway, and are cached by the tree, so nothing is read twice.
    """
    root_holders = [h for e in tree.in_folder("") if _ROOT_LEGAL.match(e.path)
                    for h in holders_in(tree.text(e) or "")]
    if not root_holders:
        return []
    candidates = [e for e in tree.own_files()
                  if e.depth >= 1 and _COMPONENT_LICENCE.match(e.path.rpartition("/")[2])
                  and e.path.rpartition("/")[0].rpartition("/")[2].lower() not in ("licenses", "licences")]
    folders: list[str] = []
    for entry in sorted(candidates, key=lambda e: (e.depth, e.path))[:MAX_COMPONENT_LICENCES]:
        folder = entry.path.rpartition("/")[0] + "/"
        if any(folder.startswith(done) for done in folders):
            continue
        holders = holders_in(tree.text(entry) or "")
        if holders and not same_owner(root_holders, holders):
            folders.append(folder)
    tree.mark(folders, THIRD_PARTY)
    return folders


# --- generated and minified files, found while scanning ------------------------------------------------

_GENERATED_MARKERS = ("do not edit", "@generated", "autogenerated", "auto-generated", "code generated by",
                      "this file was generated", "this file is generated", "this file was automatically generated",
                      "this file is automatically generated")
MINIFIED_LINE = 1000  # a first line this long, with hardly any line breaks after it, is minified


def looks_generated(kind: str, low: str) -> bool:
    """Is this file (``low``: the start of its text in lower case) generated or minified?

    Source files are generated when their first 1 KiB says so ("DO NOT EDIT", "@generated", "Code
    generated by"); source files and documents are minified when their first line is over 1,000
    characters and their first 4 KiB hold fewer than three line breaks. Configuration files are not
    judged: a generated OpenAPI or JSON Schema document still describes the project's interface.
    """
    if kind not in ("code", "doc"):
        return False
    first = low.find("\n")
    if ((first < 0 and len(low) > MINIFIED_LINE) or first > MINIFIED_LINE) and low.count("\n", 0, 4096) < 3:
        return True
    if kind == "code":
        head = low[:1024]
        return any(marker in head for marker in _GENERATED_MARKERS)
    return False


# --- what the report says it skipped -------------------------------------------------------------------

MAX_SKIPPED = 50


@dataclass(frozen=True, slots=True)
class SkippedGroup:
    path: str  # a folder ("tests/") or a file
    reason: str
    files: int


def skipped_groups(tree: Tree) -> list[SkippedGroup]:
    """The folders (and single generated files) whose files were not counted as the project's own, with
    how many files each holds, largest first, at most :data:`MAX_SKIPPED`."""
    counts: dict[tuple[str, str], int] = {}
    components = tuple(tree.marked)
    for entry in tree.entries:
        if not entry.origin:
            continue
        folder = entry.path.rpartition("/")[0]
        reason, prefix = folder_origin(folder)
        if not reason:
            reason = entry.origin
            prefix = next((p for p in components if entry.path.startswith(p)), entry.path)
        counts[(prefix, reason)] = counts.get((prefix, reason), 0) + 1
    groups = [SkippedGroup(path, reason, n) for (path, reason), n in counts.items()]
    groups.sort(key=lambda g: (-g.files, g.path))
    return groups[:MAX_SKIPPED]
