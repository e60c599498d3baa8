"""Combine per-file evidence into the repository's licence picture."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import replace

from .expressions import licensing, normalize_detail, tidy
from .model import LicenseEvidence, LicenseSummary, SourceNotice
from .paths import is_third_party_notice

__all__ = ["summarize"]

NOASSERTION = "NOASSERTION"
_KIND_ORDER = {"license-file": 0, "manifest": 1, "readme": 2, "spdx-tag": 3}
# Texts that a licence requires to be shipped alongside it: when both are present the second
# is part of the first (LGPL-3.0 is GPL-3.0 plus additional permissions; repositories ship
# COPYING and COPYING.LESSER).
_SUBSUMES = {
    "LGPL-3.0-only": ("GPL-3.0-only", "GPL-3.0-or-later"),
    "LGPL-3.0-or-later": ("GPL-3.0-only", "GPL-3.0-or-later"),
}


def _parts(path: str) -> list[str]:
    return [p for p in path.replace("\\", "/").split("/") if p not in ("", ".")]


def _is_root(path: str) -> bool:
    """A file at the repository root, or in its REUSE ``LICENSES/`` folder."""
    p = _parts(path)
    return len(p) == 1 or (len(p) == 2 and p[0] in ("LICENSES", "licenses"))


def _top(path: str) -> bool:
    return len(_parts(path)) == 1


# Licence-like names that are not licence grants: copyright notices, source-header templates. When
# their text matches no licence they are set aside if another root file names the licence. Any other
# unrecognised licence file (LICENSE, COPYING, PATENTS ...) may change the terms, so it keeps the root
# licence from being asserted.
_NOT_A_GRANT = re.compile(r"copyright|header|template|boilerplate", re.IGNORECASE)
_UNRECOGNISED = ("unknown", "empty", "pointer")


# A licence that is the first part of a longer one: the Python licence (SPDX Python-2.0) is the PSF
# agreement followed by the earlier BeOpen, CNRI and CWI licences. A manifest naming the first part of
# the text the root file holds agrees with it.
_STACKS = {"PSF-2.0": ("Python-2.0",)}


def _third_party(path: str) -> bool:
    """Third-party notices say nothing about the project's own licence: they never decide (or veto) it."""
    return is_third_party_notice(path)


def _usable(e: LicenseEvidence) -> bool:
    return e.confidence > 0


def _combine(exprs: list[str]) -> str | None:
    """AND of distinct expressions (each part must hold), dropping texts subsumed by another."""
    distinct: list[str] = []
    for x in exprs:
        if x not in distinct:
            distinct.append(x)
    for big, smalls in _SUBSUMES.items():
        if big in distinct:
            distinct = [x for x in distinct if x not in smalls]
    if not distinct:
        return None
    if NOASSERTION in distinct:
        return NOASSERTION
    if len(distinct) == 1:
        return distinct[0]
    return tidy(" AND ".join(f"({x})" if " " in x else x for x in sorted(distinct)))


def _same(a: str, b: str) -> bool:
    if a == b:
        return True
    try:
        lic = licensing()
        return lic.is_equivalent(lic.parse(a), lic.parse(b))
    except Exception:  # noqa: BLE001 - unparsable means "not the same"
        return False


def _where(evs: list[LicenseEvidence]) -> str:
    return ", ".join(sorted({e.path for e in evs}))


def _or_later_hints(ev: list[LicenseEvidence]) -> tuple[set[str], set[str]]:
    """GNU ids the project itself states with "or later" / "only" (root manifests, README notices, SPDX tags)."""
    later, only = set(), set()
    for e in ev:
        if not _usable(e) or e.expression == NOASSERTION:
            continue
        if e.kind in ("manifest", "readme") and not _top(e.path):
            continue
        if e.kind == "license-file" and e.method != "reference":
            continue
        for token in re.split(r"[\s()]+", e.expression):
            if token.endswith("-or-later"):
                later.add(token.removesuffix("-or-later"))
            elif token.endswith("-only") and "only" in e.detail.lower():
                # only a literal "only" counts: "GPLv2" or a trove classifier says nothing about later versions
                only.add(token.removesuffix("-only"))
    return later - only, only


def _later_bases(e: LicenseEvidence, hints) -> tuple[str, list[str]]:
    """The bases of ``hints`` that a bare GNU text ``e`` holds as ``-only``, and its expression with them
    extended to ``-or-later`` (the expression unchanged and no bases when none applies)."""
    if e.method not in ("exact", "dice", "dual") or "-only" not in e.expression:
        return e.expression, []
    bases = [b for b in sorted(hints) if re.search(rf"(?<![\w.-]){re.escape(b)}-only\b", e.expression)]
    expression = e.expression
    for base in bases:
        expression = re.sub(rf"(?<![\w.-]){re.escape(base)}-only\b", f"{base}-or-later", expression)
    return expression, bases


def _with_notice(e: LicenseEvidence, later: set[str]) -> tuple[LicenseEvidence, str | None]:
    """A bare GNU licence text says neither "only" nor "or later"; the project's own notice does."""
    expression, bases = _later_bases(e, later)
    if not bases:
        return e, None
    said = ", ".join(f"{b}-or-later" for b in bases)
    new = replace(e, expression=expression, detail=e.detail + f"; the project's notice says {said}")
    return new, (f"{e.path} holds the {', '.join(bases)} text, which does not say whether later versions "
                 f"apply; the project's own notice (manifest, README or SPDX tags) says {said}")


# Source headers speak for the project when enough of its files carry them: this many, or this share of
# its source files if that is fewer (two scripts with a header in a large code base do not).
HEADER_MIN_FILES = 10
HEADER_MIN_SHARE = 0.10


def _header_hints(notices: Sequence[SourceNotice], source_files: int = 0) -> dict[str, str]:
    """GNU ids (``GPL-2.0``) that most source-file headers with a notice of that licence extend to "or any
    later version", each with the sentence that says so. ``source_files``: how many source files the
    project has (0: unknown, any number of headers is enough)."""
    need = min(HEADER_MIN_FILES, max(1, math.ceil(HEADER_MIN_SHARE * source_files))) if source_files else 1
    by_base: dict[str, list[SourceNotice]] = {}
    for n in notices:
        by_base.setdefault(n.base, []).append(n)
    out = {}
    for base, found in sorted(by_base.items()):
        later = [n for n in found if n.later]
        # a majority of the notices (mixed headers leave the bare text as it is), in enough files
        if len(later) > len(found) - len(later) and len(later) >= need:
            first = min(later, key=lambda n: (n.path, n.line))
            out[base] = (f"the headers of {len(later)} of the {len(found)} source files with a notice of the {base} say "
                         f"\"or (at your option) any later version\" (first: {first.path} line {first.line})")
    return out


def _with_headers(e: LicenseEvidence, headers: dict[str, str]) -> tuple[LicenseEvidence, str | None]:
    """A bare GNU text takes "or later" from the project's source headers when no other notice says."""
    expression, bases = _later_bases(e, headers)
    if not bases:
        return e, None
    said = ", ".join(f"{b}-or-later" for b in bases)
    new = replace(e, expression=expression, detail=e.detail + f"; the source headers say {said}")
    return new, (f"{e.path} holds the {', '.join(bases)} text, which does not say whether later versions apply; "
                 + "; ".join(headers[b] for b in bases))


def _as_stated(e: LicenseEvidence) -> str:
    """A GNU "-only" that the source did not literally say ("GPLv2", a trove classifier) may be either."""
    if "-only" in e.expression and "only" not in e.detail.lower():
        return e.expression.replace("-only", "-or-later")
    return e.expression


def _one_of(expression: str, choice: str) -> bool:
    """Is ``expression`` one of the alternatives of ``choice`` ("MIT" of "MIT OR AFL-2.1")? A manifest
    that names the alternative the project ships under agrees with a dual-licensed root."""
    if "(" in choice or " OR " not in choice or " AND " in choice:
        return False
    return any(_same(expression, alternative) for alternative in choice.split(" OR "))


def _file_expression(evs: list[LicenseEvidence]) -> str | None:
    return _combine([e.expression for e in evs])


def _root_licence_files(ev: list[LicenseEvidence]) -> tuple[str | None, list[LicenseEvidence], list[str], list[str]]:
    """(root expression, evidence it came from, conflicts, notes) from the root licence files.

    The top-level licence files and the known licences of the REUSE ``LICENSES/`` folder are read
    together (AND: each part of the repository is under one of them); a text in ``LICENSES/`` that
    matches no licence is set aside when the top level names one. Third-party notices never count.
    A pointer file ("either of the licences in LICENSE.APACHE or LICENSE.BSD") stands for its
    targets, combined with OR or AND as it says. A file whose text matches no licence is set aside
    when another file names the licence if it is a copyright notice or a header template
    (``_NOT_A_GRANT``); any other such file, and a modified licence text, make the root NOASSERTION.
    """
    files = [e for e in ev if e.kind == "license-file" and _usable(e)]
    top = [e for e in files if _top(e.path) and not _third_party(e.path)]
    folder = [e for e in files if _is_root(e.path) and not _top(e.path) and not _third_party(e.path)]
    group = top + folder
    if not group:
        return None, [], [], []
    conflicts: list[str] = []
    notes: list[str] = []
    by_path: dict[str, list[LicenseEvidence]] = {}
    for e in group:
        by_path.setdefault(e.path, []).append(e)
    # pointer files stand for the files they name
    consumed: set[str] = set()
    pointer_expr: dict[str, str] = {}
    for path, evs in by_path.items():
        ptr = next((e for e in evs if e.method == "pointer" and e.refers_to), None)
        if ptr is None:
            continue
        targets = []
        for name in ptr.refers_to:
            low = name.lower().lstrip("./")
            hit = next((q for q in by_path if q != path and (q.lower() == low or _parts(q)[-1].lower() == low)), None)
            if hit is None:
                hit = next((e.path for e in files if e.path.lower() == low or _parts(e.path)[-1].lower() == low), None)
            targets.append(hit)
        exprs = [_file_expression([e for e in files if e.path == t]) if t else None for t in targets]
        if targets and all(exprs) and NOASSERTION not in exprs:
            op = " OR " if ptr.operator == "OR" else " AND "
            joined = tidy(op.join(f"({x})" if " " in x else x for x in exprs))  # type: ignore[operator]
            pointer_expr[path] = joined
            consumed.update(t for t in targets if t)
            partly = " (its first paragraph; the rest of the file is not a licence text: read it for exceptions)" \
                if ptr.partial else ""
            notes.append(f"{path} refers to {', '.join(t for t in targets if t)}{partly}: read as {joined}")
    chosen: list[LicenseEvidence] = []
    file_exprs: list[str] = []
    set_aside: list[str] = []
    for path, evs in by_path.items():
        if path in consumed:
            continue
        if path in pointer_expr:
            file_exprs.append(pointer_expr[path])
            chosen.extend(evs)
            continue
        expr = _file_expression(evs)
        unrecognised = expr == NOASSERTION and all(e.method in _UNRECOGNISED or e.expression != NOASSERTION
                                                   for e in evs)
        if unrecognised and (_NOT_A_GRANT.search(_parts(path)[-1]) or (top and not _top(path))):
            set_aside.append(path)
            continue
        if expr:
            file_exprs.append(expr)
            chosen.extend(evs)
    if not file_exprs:  # only set-aside files: they are all there is
        chosen = [e for p in set_aside for e in by_path[p]]
        file_exprs = [NOASSERTION]
        set_aside = []
    for path in set_aside:
        notes.append(f"{path}: licence-like text that matches no known licence; not used for the root licence")
    root = _combine(file_exprs)
    if root == NOASSERTION:
        for e in chosen:
            if e.expression == NOASSERTION:
                conflicts.append(f"{e.path}: {e.detail.split(': ', 1)[-1]} - the root licence cannot be asserted")
    elif root and " AND " in root and len(set(file_exprs)) > 1:
        conflicts.append(
            "several licences in the root licence files ("
            + "; ".join(f"{p}: {_file_expression(by_path[p]) if p not in pointer_expr else pointer_expr[p]}"
                        for p in dict.fromkeys(e.path for e in chosen))
            + f"); read as {root}: each part must be an approved licence"
        )
    return root, chosen, conflicts, notes


def summarize(evidence: Sequence[LicenseEvidence], declared: Sequence[str] = (),
              source_notices: Sequence[SourceNotice] = (), source_files: int = 0) -> LicenseSummary:
    """The root licence (root licence files, else root manifests, else root README), every
    licence found, and conflicts as human-readable sentences. ``source_notices``: the GNU notices in
    the headers of the project's own source files (``scan_gnu_notice``), which decide "or later" for a
    bare GNU text when the manifests, README and SPDX tags do not, if they are in at least 10 files or
    10% of the ``source_files`` (the number of the project's source files; 0 if unknown)."""
    ev = sorted(
        evidence,
        key=lambda e: (not _is_root(e.path), _KIND_ORDER.get(e.kind, 9), e.path, e.line or 0),
    )
    later, only = _or_later_hints(ev)
    headers = {b: why for b, why in _header_hints(source_notices, source_files).items()
               if b not in later and b not in only}
    notes: list[str] = []
    if later or headers:
        upgraded = []
        for e in ev:
            if e.kind == "license-file" and _is_root(e.path):
                for rule, hints in ((_with_notice, later), (_with_headers, headers)):
                    if hints:
                        e, note = rule(e, hints)
                        if note:
                            notes.append(note)
            upgraded.append(e)
        ev = upgraded
    root_expression, root_source, conflicts, more_notes = _root_licence_files(ev)
    notes += more_notes
    if root_expression is None:
        for kind in ("manifest", "readme"):
            group = [e for e in ev if e.kind == kind and _top(e.path) and _usable(e)]
            if kind == "manifest":
                known = [e for e in group if e.expression != NOASSERTION]
                group = known or group
            if group:
                root_expression = _combine([e.expression for e in group])
                root_source = group
                break

    # licence file vs manifests / README at the root
    if root_source and root_source[0].kind == "license-file" and root_expression and root_expression != NOASSERTION:
        for e in ev:
            relevant = e.kind in ("manifest", "readme") and _is_root(e.path) and _usable(e)
            if not relevant or e.expression == NOASSERTION:
                continue
            if root_expression in _STACKS.get(e.expression, ()):
                notes.append(f"{e.path} says {e.expression}, the first part of the {root_expression} licence "
                             f"in {_where(root_source)}")
                continue
            if (
                not any(_same(x, root_expression) or _one_of(x, root_expression)
                        for x in (e.expression, _as_stated(e)))
                and not any(_same(x, r.expression) for r in root_source for x in (e.expression, _as_stated(e)))
            ):
                conflicts.append(
                    f"{e.path} says {e.expression} but the root licence file ({_where(root_source)}) "
                    f"contains {root_expression}"
                )
    for e in ev:
        if e.kind == "manifest" and _is_root(e.path) and e.expression == NOASSERTION and e.confidence > 0:
            conflicts.append(e.detail)

    for d in declared:
        expr, why = normalize_detail(d) if isinstance(d, str) else (None, f"declared licence {d!r} is not a string")
        if expr is None:
            conflicts.append(f"declared licence '{d}' cannot be checked: {why}")
        elif root_expression is None:
            conflicts.append(f"declared licence {expr} but no licence was found at the repository root")
        elif root_expression == NOASSERTION:
            conflicts.append(f"declared licence {expr} but the root licence text is not a known licence "
                             f"({_where(root_source)})")
        elif not _same(expr, root_expression):
            conflicts.append(f"declared licence {expr} but the repository root has {root_expression} "
                             f"(from {_where(root_source)})")

    expressions: list[str] = []
    for e in ev:
        # a pointer names no licence itself: what it points to is listed through its targets
        if _usable(e) and e.method != "pointer" and e.expression not in expressions:
            expressions.append(e.expression)
    uniq_conflicts = list(dict.fromkeys(conflicts))
    return LicenseSummary(root_expression, tuple(ev), tuple(expressions), tuple(uniq_conflicts),
                          tuple(dict.fromkeys(e.path for e in root_source)), tuple(dict.fromkeys(notes)))
