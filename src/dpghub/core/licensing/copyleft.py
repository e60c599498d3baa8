"""How far a licence expression's copyleft reaches: none (permissive), weak (file or library) or strong.

An ``OR`` lets the user choose, so it takes the least demanding side; an ``AND`` (or ``WITH``) applies
both, so it takes the most demanding. Unknown identifiers count as unknown, not as permissive: the finder
says it could not tell rather than guessing.
"""

from __future__ import annotations

import re
from enum import IntEnum


class Copyleft(IntEnum):
    NONE = 0
    WEAK = 1
    STRONG = 2
    UNKNOWN = 3


_STRONG = re.compile(r"^(A?GPL|OSL|EUPL|CC-BY-SA|CC-BY-NC-SA|ODbL|RPL|SSPL|Sleepycat|CPAL|QPL|OFL|CECILL-\d)", re.I)
_WEAK = re.compile(r"^(LGPL|MPL|EPL|CDDL|MS-RL|CECILL-C|CPL|APSL|ErlPL|LGPLLR|IPL|SPL)", re.I)
_PERMISSIVE = re.compile(
    r"^(MIT|MIT-0|BSD|Apache|ISC|Zlib|Unlicense|0BSD|CC0|CC-BY-\d|CC-BY-4|PDDL|ODC-By|Python|PSF|X11|"
    r"BSL-1\.0|WTFPL|UPL|Artistic-2|PostgreSQL|NCSA|ECL|AFL|Ruby|PHP|OLDAP|Zope|OGL|ZPL|HPND|blessing|"
    r"CC-PDDC|etalab|OGC|W3C|MulanPSL|Beerware|Libpng|curl|FTL|BlueOak)", re.I)
_TOKEN = re.compile(r"\(|\)|\bAND\b|\bOR\b|\bWITH\b|[^\s()]+", re.I)


def licence_copyleft(spdx_id: str) -> Copyleft:
    """The copyleft of one SPDX licence identifier (``-or-later`` and ``+`` ignored)."""
    ident = spdx_id.strip().rstrip("+")
    if not ident or ident.upper() in {"NOASSERTION", "NONE"} or ident.startswith("LicenseRef-"):
        return Copyleft.UNKNOWN
    if _WEAK.match(ident):  # before strong: LGPL would otherwise read as GPL
        return Copyleft.WEAK
    if _STRONG.match(ident):
        return Copyleft.STRONG
    if _PERMISSIVE.match(ident):
        return Copyleft.NONE
    return Copyleft.UNKNOWN


def expression_copyleft(expression: str) -> Copyleft:
    """The copyleft a user of ``expression`` must accept (see the module's docstring)."""
    tokens = _TOKEN.findall(expression or "")
    if not tokens:
        return Copyleft.UNKNOWN
    position = 0

    def term() -> Copyleft:
        nonlocal position
        part = tokens[position] if position < len(tokens) else ""
        position += 1
        if part == "(":
            value = either()
            if position < len(tokens) and tokens[position] == ")":
                position += 1
            return value
        value = licence_copyleft(part)
        if position < len(tokens) and tokens[position].upper() == "WITH":
            position += 2  # an exception only narrows what the licence asks: keep the licence's reach
        return value

    def both() -> Copyleft:
        nonlocal position
        value = term()
        while position < len(tokens) and tokens[position].upper() == "AND":
            position += 1
            value = max(value, term())
        return value

    def either() -> Copyleft:
        nonlocal position
        value = both()
        while position < len(tokens) and tokens[position].upper() == "OR":
            position += 1
            other = both()
            # UNKNOWN is the highest number; a known side of an OR is the one a user can rely on
            value = min(value, other) if Copyleft.UNKNOWN not in (value, other) else (
                other if value == Copyleft.UNKNOWN else value)
        return value

    return either()
