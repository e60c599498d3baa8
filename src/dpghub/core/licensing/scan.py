"""Evidence from single files: licence texts, SPDX tags, manifest fields, README sections."""

from __future__ import annotations

import re
from dataclasses import replace

from .expressions import normalize_detail, tidy
from .manifests import scan_manifest
from .matcher import match_text, match_verbatim
from .model import LicenseEvidence, SourceNotice
from .paths import classify_path, is_third_party_notice
from .textnorm import tokenize

__all__ = ["MAX_TEXT_CHARS", "scan_file", "scan_license_text", "scan_spdx_tags"]

# Licence files bigger than this are cut (the largest common licence texts are ~40 kB).
MAX_TEXT_CHARS = 400_000
# Third-party notices (never the root licence) are read in their first 16 KiB: their first licences
# are listed as evidence; matching the whole of a long notices file is slow and adds nothing to the root.
MAX_NOTICE_CHARS = 16 * 1024

_TAG = re.compile(r"SPDX-License-Identifier\s*:\s*(?P<v>[^\n\r]*)", re.IGNORECASE)
# comment closers and markup that may follow the expression on the same line
_TAG_TAIL = re.compile(r"\s*(?:\*/|-->|--\}\}|#\}|%\}|\*\)|-\}|\"\"\"|'''|\]\]>|;|\\n).*$")


def scan_spdx_tags(relpath: str, text: str) -> list[LicenseEvidence]:
    """SPDX-License-Identifier tags only (any file type); one evidence per tag, with its line."""
    if not text or ("SPDX-License-Identifier" not in text and "spdx-license-identifier" not in text.lower()):
        return []
    out = []
    for m in _TAG.finditer(text):
        raw = _TAG_TAIL.sub("", m.group("v")).strip().strip("\"'`,").strip()
        line = text.count("\n", 0, m.start()) + 1
        if not raw:
            out.append(LicenseEvidence("NOASSERTION", "spdx-tag", relpath, line, 0.0, "tag",
                                       f"{relpath} line {line}: SPDX-License-Identifier tag with no value"))
            continue
        expr, why = normalize_detail(raw)
        if expr is None:
            out.append(LicenseEvidence("NOASSERTION", "spdx-tag", relpath, line, 0.3, "tag",
                                       f"{relpath} line {line}: tag value is not a valid SPDX expression: {why}"))
        else:
            out.append(LicenseEvidence(expr, "spdx-tag", relpath, line, 0.95, "tag",
                                       f"{relpath} line {line}: SPDX-License-Identifier: {raw}"))
    return out


# "Licensed under the Apache License, Version 2.0", "released under the MIT license",
# "[The MIT License](...)", "License: MIT", shields.io badges ... -> a licence *reference*.
_REF_PATTERNS = (
    re.compile(
        r"\b(?:(?:licen[sc]ed|licen[sc]es|released|distributed|available|published|provided|covered|dual[- ]licen[sc]ed)"
        r"\s+(?:[\w ]{0,30}?\s)?)?under\s+(?:the\s+)?(?:terms\s+of\s+(?:the\s+)?)?\[?(?P<name>[^;:\n()\[\]]{2,100})",
        re.IGNORECASE | re.MULTILINE,
    ),
    re.compile(r"^\s*\[(?:the\s+)?(?P<name>[^\]\n]{2,80}?)\]\(", re.IGNORECASE | re.MULTILINE),
    re.compile(r"^\s*\**licen[sc]e\**\s*[:\-]\s*\**(?P<name>[^\n*]{2,80}?)\**\s*$", re.IGNORECASE | re.MULTILINE),
    re.compile(r"img\.shields\.io/badge/licen[sc]e-(?P<name>[^-/?)\s]+(?:--[^-/?)\s]+)*)-", re.IGNORECASE),
    re.compile(r"^\s*(?:the\s+)?(?P<name>[A-Za-z][\w .\-+]{1,60}?\s+licen[sc]e)\s*(?:\(\w[\w.\-]*\))?\s*$",
               re.IGNORECASE | re.MULTILINE),
)


def _name_to_expression(name: str) -> str | None:
    """The longest leading run of words of ``name`` that is a licence name (max 12 words)."""
    name = re.split(r"\.\s|\.$", name, maxsplit=1)[0]
    words = name.replace("--", "-").replace("_", " ").replace("%20", " ").split()[:12]
    for k in range(len(words), 0, -1):
        cand = " ".join(words[:k]).strip(" ,.\"'*")
        if not cand:
            continue
        expr, _ = normalize_detail(cand)
        if expr:
            return expr
    return None


_GNU_NOTICE = re.compile(
    r"under\s+the\s+terms\s+of\s+the\s+gnu\s+(?P<fam>general|lesser|library|affero)\s+(?:general\s+)?public\s+licen[sc]e"
    r"\s*(?:as\s+published\s+by\s+the\s+free\s+software\s+foundation)?\s*[,;]?\s*(?:either\s+)?version\s+(?P<ver>\d(?:\.\d)?)"
    r"(?P<later>[^.]{0,60}?\blater\b)?",
    re.IGNORECASE,
)


_GNU_FAMILY = {"general": "GPL", "lesser": "LGPL", "library": "LGPL", "affero": "AGPL"}
# MPL-2.0 Exhibit A: "This Source Code Form is subject to the terms of the Mozilla Public License, v. 2.0."
_MPL_NOTICE = re.compile(r"subject\s+to\s+the\s+terms\s+of\s+the\s+mozilla\s+public\s+licen[sc]e,?\s+v(?:ersion)?\.?\s*"
                         r"(?P<ver>[12]\.[01])", re.IGNORECASE)


def _notices(text: str, flat: str | None = None) -> list[tuple[str, int, str]]:
    """Standard licence notices (MPL Exhibit A) in prose: (expression, line, phrase). ``flat`` is
    ``text`` with comment leaders blanked (same offsets), searched instead when given."""
    out = []
    for m in _MPL_NOTICE.finditer(flat if flat is not None else text):
        expr, _ = normalize_detail(f"MPL-{m.group('ver')}")
        if expr:
            out.append((expr, text.count("\n", 0, m.start()) + 1, " ".join(m.group(0).split())[:120]))
    return out


_COMMENT_LEADER = re.compile(r"^[ \t]*(?:/\*+|\*+/?|#+|//+|--|;+|%+)(?=[ \t]|$)", re.MULTILINE)
# the right edge of a boxed comment ("*   the Free Software Foundation; either version 2 ...   *")
_COMMENT_TRAILER = re.compile(r"[ \t]+(?:\*+/?|#+)[ \t]*$", re.MULTILINE)


def _references(text: str) -> list[tuple[str, int, str]]:
    """Licence references in prose: (expression, line, quoted phrase)."""
    # comment leaders of a source-header template (" * ", "# ", "// ") become blanks, then line breaks
    # do: the same offsets, so line numbers still come from ``text``
    flat = _COMMENT_LEADER.sub(lambda m: " " * len(m.group(0)), text)
    flat = re.sub(r"[ \t]*\n[ \t]*(?=\S)", lambda m: " " * len(m.group(0)), flat)
    found: list[tuple[str, int, str]] = []
    for m in _GNU_NOTICE.finditer(flat):
        fam = _GNU_FAMILY[m.group("fam").lower()]
        expr, _ = normalize_detail(f"{fam}-{m.group('ver')}{'+' if m.group('later') else ''}")
        if expr is None:
            expr, _ = normalize_detail(f"{fam} {m.group('ver')}{' or later' if m.group('later') else ''}")
        if expr:
            found.append((expr, text.count("\n", 0, m.start()) + 1, m.group(0)[:120]))
    found += _notices(text, flat)
    if found:
        return found
    for rx in _REF_PATTERNS:
        for m in rx.finditer(flat):
            expr = _name_to_expression(m.group("name").strip())
            if expr:
                found.append((expr, text.count("\n", 0, m.start()) + 1, " ".join(m.group(0).split())[:120]))
        if found:
            break
    return found


# "JSZip is dual licensed. You may use it under the MIT license *or* the GPLv3 license", "under the
# terms of either: a) the Apache License ... or b) the Mozilla Public License": the licence texts that
# follow are alternatives, not all binding at once.
_DUAL = re.compile(
    r"dual[- ]?licen[sc]|multi[- ]?licen[sc]|at (?:your|the user'?s?|licensee'?s?) (?:option|choice|discretion)"
    r"|under\s+(?:the\s+)?(?:terms\s+of\s+)?either\b|\beither\b[^.]{0,160}?\bor\b|you\s+(?:may|can)\s+choose",
    re.IGNORECASE,
)
# A short licence file that sends the reader to other licence files.
_POINTED = re.compile(r"\b(?:[\w\-]+/)*(?:LICENSES/[\w.\-]+|(?:LICEN[CS]E|COPYING)(?:[.\-_][\w.\-]*\w)?)",
                      re.IGNORECASE)
_CHOICE = re.compile(r"\beither\b|at your (?:option|choice)|dual[- ]?licen[sc]|choose|\bor\b", re.IGNORECASE)
POINTER_MAX_WORDS = 120


def _outside(text: str, spans: list[tuple[int, int]]) -> str:
    """The lines of ``text`` outside the (1-based, inclusive) line spans."""
    lines = text.split("\n")
    keep = [True] * len(lines)
    for a, b in spans:
        for i in range(max(0, a - 1), min(len(lines), b)):
            keep[i] = False
    return "\n".join(line for line, k in zip(lines, keep) if k)


def _pointer(relpath: str, text: str, kind: str, tokens: list) -> LicenseEvidence | None:
    """A short file naming other licence files ("either of the licences in LICENSE.APACHE or LICENSE.BSD")."""
    if kind != "license-file" or len(tokens) > POINTER_MAX_WORDS:
        return None
    own = relpath.replace("\\", "/").rsplit("/", 1)[-1].lower()
    names: list[str] = []
    first = -1
    for m in _POINTED.finditer(text):
        if m.start() and text[m.start() - 1] in "/.:#?=":  # part of a URL ("gnu.org/licenses/gpl.html")
            continue
        name = m.group(0).rstrip(".")
        # a bare word "license" in prose is not a file name: keep names with a suffix or a folder,
        # and not the words of an SPDX tag ("License-Identifier")
        if not (any(c in name for c in "./-_") or name.isupper()) or "identifier" in name.lower():
            continue
        if name.lower() != own and name.lower() not in [n.lower() for n in names]:
            names.append(name)
            first = m.start() if first < 0 else first
    if not names:
        return None
    op = "OR" if len(names) > 1 and _CHOICE.search(text) else "AND"
    line = text.count("\n", 0, first) + 1
    return LicenseEvidence("NOASSERTION", kind, relpath, line, 0.6, "pointer",
                           f"{relpath}: refers to {f' {op.lower()} '.join(names)} for the licence text",
                           tuple(names), op)


# A heading that gives a licence text a narrower scope than the project: "Zero-Clause BSD licence for
# code in the documentation", "Licence for the fonts", "Terms for the example data".
_SCOPE_HEADING = re.compile(
    r"\b(?:licen[cs]e|terms)\b[^\n]{0,40}?\bfor\b[^\n]{0,60}?\b(?:documentation|docs|examples?|samples?|fonts?|"
    r"images?|icons?|artwork|logos?|media|assets|tests?|test data|example data)\b",
    re.IGNORECASE,
)


def _scope_heading(text: str, start_line: int) -> str | None:
    """The heading of a licence text (its first line, or one of the non-blank lines just before it)
    when that heading limits it to a part of the project; None otherwise."""
    lines = text.split("\n", start_line)[:start_line]
    candidates = [ln.strip(" \t#=*-_") for ln in lines[-8:] if ln.strip(" \t#=*-_")][-3:]
    for line in reversed(candidates):
        if len(line) <= 120 and _SCOPE_HEADING.search(line):
            return line
    return None


def _lead_pointer(relpath: str, text: str, kind: str, words: int) -> LicenseEvidence | None:
    """A longer summary file whose first paragraph names the licence file ("lxml is distributed under
    the BSD license (see doc/licenses/BSD.txt), with the following exceptions: ..."): the paragraph
    points to the project's licence; the rest (exceptions for some files) is left to the reader."""
    body = text.lstrip("\n")
    para = re.split(r"\n[ \t]*\n", body, maxsplit=1)[0]
    if "licen" not in para.lower():
        return None
    para_tokens = tokenize(para)
    if not para_tokens or len(para_tokens) > POINTER_MAX_WORDS:
        return None
    ptr = _pointer(relpath, para, kind, para_tokens)
    if ptr is None:
        return None
    offset = text.count("\n", 0, len(text) - len(body))
    names = f" {ptr.operator.lower()} ".join(ptr.refers_to)
    return replace(ptr, line=(ptr.line or 1) + offset, partial=True,
                   detail=f"{relpath}: its first paragraph refers to {names} for the licence; the rest of "
                          f"the file ({words} words in all) is not a licence text: read it for exceptions")


SOURCE_HEAD = 16 * 1024  # a source file's licence header is near its top


def scan_gnu_notice(relpath: str, text: str) -> SourceNotice | None:
    """The GNU licence notice in the header of a source file (its first 16 KiB), or None.

    Such a header ("under the terms of the GNU General Public License as published by the Free Software
    Foundation; either version 2 of the License, or (at your option) any later version") is where the
    GNU licences ask a project to say whether later versions apply; a bare licence text does not say.
    """
    head = text[:SOURCE_HEAD]
    low = head.lower()
    if "gnu" not in low or "foundation" not in low:  # "the Free\n# Software Foundation" may be split
        return None
    # comment leaders (" * ", "# ", "// ") and line breaks of the header template do not matter
    flat = " ".join(_COMMENT_TRAILER.sub(" ", _COMMENT_LEADER.sub(" ", head)).split())
    m = _GNU_NOTICE.search(flat)
    if m is None:
        return None
    ver = m.group("ver") if "." in m.group("ver") else m.group("ver") + ".0"
    base = f"{_GNU_FAMILY[m.group('fam').lower()]}-{ver}"
    if normalize_detail(f"{base}-only")[0] is None:  # "version 4" or a family without that version
        return None
    at = low.find("public licen")
    return SourceNotice(relpath, head.count("\n", 0, at) + 1 if at >= 0 else 1, base, bool(m.group("later")))


def _line_in(text: str, phrase: str, fallback: int) -> int:
    """Line of the first occurrence in ``text`` of a phrase whose whitespace was collapsed."""
    words = phrase.split()
    m = re.search(r"\s+".join(map(re.escape, words[:6])), text) if words else None
    return text.count("\n", 0, m.start()) + 1 if m else fallback


def _gnu_later(outside: str) -> set[str]:
    """GNU ids (``GPL-3.0``) that a notice outside the licence texts extends to "or any later version"."""
    flat = re.sub(r"\s+", " ", outside)
    out = set()
    for m in _GNU_NOTICE.finditer(flat):
        if m.group("later"):
            fam = _GNU_FAMILY[m.group("fam").lower()]
            ver = m.group("ver") if "." in m.group("ver") else m.group("ver") + ".0"
            out.add(f"{fam}-{ver}")
    return out


def scan_license_text(relpath: str, text: str, kind: str = "license-file", line_offset: int = 0) -> list[LicenseEvidence]:
    """Full licence texts (and, failing that, licence references) in a licence file's text."""
    if len(text) > MAX_TEXT_CHARS:
        text = text[:MAX_TEXT_CHARS]
    verbatim = match_verbatim(text)  # a copy of a reference text needs no tokenising
    tokens = [] if verbatim else tokenize(text)
    out: list[LicenseEvidence] = []
    matches = verbatim or match_text(tokens)
    if matches:
        outside = _outside(text, [(m.start_line, m.end_line) for m in matches])
        # a notice before the licence text (after it may come the text's own "How to apply" template)
        before = "\n".join(text.split("\n")[: max(0, matches[0].start_line - 1)])
        later = _gnu_later(before) if "later" in before else set()
        for m in matches:
            spdx, detail = m.spdx, m.detail
            if spdx.endswith("-only") and spdx.removesuffix("-only") in later:
                spdx = spdx.removesuffix("-only") + "-or-later"
                detail += "; the file's own notice adds \"or any later version\""
            scope = _scope_heading(text, m.start_line)
            if scope:  # "ZERO-CLAUSE BSD LICENSE FOR CODE IN THE PYTHON DOCUMENTATION": not the project's licence
                out.append(LicenseEvidence(spdx, kind, relpath, m.start_line + line_offset, 0.0, "scoped",
                                           f"{relpath}: {detail}, under the heading \"{scope}\": it applies to that "
                                           "part only, not to the project"))
                continue
            out.append(LicenseEvidence(spdx, kind, relpath, m.start_line + line_offset, m.confidence, m.method,
                                       f"{relpath}: {detail}"))
        for expr, line, phrase in (_notices(outside) if "mozilla" in outside.lower() else []):
            if expr not in {e.expression for e in out}:
                line = _line_in(text, phrase, line)
                out.append(LicenseEvidence(expr, kind, relpath, line + line_offset, 0.8, "reference",
                                           f"{relpath} line {line + line_offset}: licence notice \"{phrase}\""))
        scoped = [e for e in out if e.method == "scoped"]
        out = [e for e in out if e.method != "scoped"]
        known = list(dict.fromkeys(e.expression for e in out if e.expression != "NOASSERTION"))
        if len(known) > 1 and len(known) == len(out):
            dual = _DUAL.search(outside)
            if dual:
                expr = tidy(" OR ".join(known))
                phrase = " ".join(dual.group(0).split())[:80]
                return [LicenseEvidence(expr, kind, relpath, out[0].line, min(e.confidence for e in out), "dual",
                                        f"{relpath}: the texts of {' and '.join(known)}, offered as alternatives "
                                        f"(\"{phrase}\")"), *scoped]
        return out + scoped
    if kind == "license-file" and len(tokens) <= POINTER_MAX_WORDS:
        ptr = _pointer(relpath, text, kind, tokens)
        if ptr is not None and len(ptr.refers_to) > 1:
            return [ptr]
    refs = _references(text)
    for expr, line, phrase in refs:
        if any(e.expression == expr for e in out):
            continue
        out.append(LicenseEvidence(expr, kind, relpath, line + line_offset, 0.8, "reference",
                                   f"{relpath} line {line + line_offset}: refers to the licence: \"{phrase}\""))
    if out or kind != "license-file":
        return out
    stripped = " ".join(text.split())
    if len(stripped) <= 80:  # a licence file holding only an id: "MIT", "Apache-2.0"
        expr, _ = normalize_detail(stripped)
        if expr:
            return [LicenseEvidence(expr, kind, relpath, 1, 0.8, "reference", f"{relpath}: contains only \"{stripped}\"")]
    if not stripped:
        return [LicenseEvidence("NOASSERTION", kind, relpath, None, 0.5, "empty", f"{relpath}: licence file is empty")]
    if not tokens:  # only copyright lines: a copyright notice, not a licence
        return []
    ptr = _pointer(relpath, text, kind, tokens) or _lead_pointer(relpath, text, kind, len(tokens))
    if ptr is not None:
        return [ptr]
    return [LicenseEvidence("NOASSERTION", kind, relpath, tokens[0][1], 0.5, "unknown",
                            f"{relpath}: licence-like text that matches no known licence ({len(tokens)} words)")]


_HEADING = re.compile(
    r"^(?:#{1,6}\s*|=+\s*|\*\*)?\s*(?:licen[sc]e|licen[sc]ing|copyright(?: and licen[sc]e)?|licen[sc]e and copyright)"
    r"s?\s*(?:\*\*)?\s*:?\s*#*\s*$",
    re.IGNORECASE,
)


_UNDERLINE = re.compile(r"[=\-~^]{3,}")


def _readme_sections(text: str) -> list[tuple[int, str]]:
    """(first line number, section text) of README sections titled License/Licence/Licensing."""
    low = text.lower()
    if "licen" not in low and "copyright" not in low:
        return []
    lines = text.split("\n")
    # only lines that mention a licence or copyright can be such a heading
    candidates = [i for i, line in enumerate(low.split("\n")) if "licen" in line or "copyright" in line]
    out = []
    resume = 0
    for i in candidates:
        if i < resume:
            continue
        line = lines[i].strip()
        underline = i + 1 < len(lines) and _UNDERLINE.fullmatch(lines[i + 1].strip() or "x")
        if not _HEADING.match(line):
            continue
        level = len(line) - len(line.lstrip("#")) if line.startswith("#") else 0
        start = i + (2 if underline else 1)
        j = start
        while j < len(lines):
            s = lines[j].strip()
            if s.startswith("#") and level and (len(s) - len(s.lstrip("#"))) <= level:
                break
            if not level and j + 1 < len(lines) and s and _UNDERLINE.fullmatch(lines[j + 1].strip() or "x"):
                break
            j += 1
        out.append((start + 1, "\n".join(lines[start:j])))
        resume = j
    return out


# The FSF's notice template ("This program is free software: you can redistribute it and/or modify it
# under the terms of the GNU ... either version 3 of the License, or (at your option) any later version"):
# the project's own statement of its licence wherever a README puts it (often under "Legal", or with no
# heading at all), unlike a mere mention of a licence, which counts only in a licence section.
_FREE_SOFTWARE = re.compile(r"\bis\s+free\s+software\b[^.]{0,40}?\bredistribute\s+it\b", re.IGNORECASE)


def _gnu_template_notices(relpath: str, text: str, skip: list[tuple[int, int]]) -> list[LicenseEvidence]:
    """Evidence from the GNU notice template outside the README's licence sections (``skip``: line ranges)."""
    out: list[LicenseEvidence] = []
    for fs in _FREE_SOFTWARE.finditer(text):
        line = text.count("\n", 0, fs.start()) + 1
        if any(a <= line <= b for a, b in skip):
            continue
        # the template's comment leaders (" * ", "# ") and line breaks do not matter
        flat = " ".join(_COMMENT_LEADER.sub(" ", text[fs.end() : fs.end() + 400]).split())
        m = _GNU_NOTICE.search(flat[:300])  # "... and/or modify it under the terms of the GNU ..."
        if m is None:
            continue
        fam = _GNU_FAMILY[m.group("fam").lower()]
        expr, _ = normalize_detail(f"{fam}-{m.group('ver')}{'+' if m.group('later') else ''}")
        if expr is None or any(e.expression == expr for e in out):
            continue
        out.append(LicenseEvidence(expr, "readme", relpath, line, 0.8, "reference",
                                   f"{relpath} line {line}: the GNU licence notice \"{m.group(0)}\""))
    return out


def _scan_readme(relpath: str, text: str) -> list[LicenseEvidence]:
    out: list[LicenseEvidence] = []
    sections = _readme_sections(text)
    for first_line, section in sections:
        out += scan_license_text(relpath, section, kind="readme", line_offset=first_line - 1)
    if "free software" in text.lower():
        spans = [(first, first + section.count("\n")) for first, section in sections]
        out += [e for e in _gnu_template_notices(relpath, text, spans) if not any(o.expression == e.expression for o in out)]
    # badges anywhere near the top
    head = "\n".join(text.split("\n")[:60])
    for m in _REF_PATTERNS[3].finditer(head):
        expr = _name_to_expression(m.group("name"))
        if expr and not any(e.expression == expr for e in out):
            line = head.count("\n", 0, m.start()) + 1
            out.append(LicenseEvidence(expr, "readme", relpath, line, 0.7, "badge",
                                       f"{relpath} line {line}: licence badge \"{m.group('name')}\""))
    # a README section that names no licence we know is not evidence of an unknown licence
    return [e for e in out if e.expression != "NOASSERTION" or e.method == "modified"]


def scan_file(relpath: str, text: str) -> list[LicenseEvidence]:
    """All licence evidence in one file. Never raises for any ``str`` input."""
    if not isinstance(text, str):
        raise TypeError(f"scan_file({relpath!r}): text must be str, got {type(text).__name__}; decode bytes with decode_text()")
    text = text.removeprefix("\ufeff")
    role = classify_path(relpath)
    out: list[LicenseEvidence] = []
    if role == "license-file":
        if len(text) > MAX_NOTICE_CHARS and is_third_party_notice(relpath):
            text = text[:MAX_NOTICE_CHARS]  # megabytes of bundled licences: the first ones are evidence enough
        out += scan_license_text(relpath, text)
    elif role == "manifest":
        out += scan_manifest(relpath, text)
    elif role == "readme":
        out += _scan_readme(relpath, text)
    tags = scan_spdx_tags(relpath, text)
    if role == "license-file" and tags and all(e.method in ("unknown", "reference", "pointer") for e in out):
        out = []  # a file holding just an SPDX tag: the tag says it
    return out + tags
