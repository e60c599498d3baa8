"""Repairs of the known quirks of DPGA data, each one logged (Django-free, never raises).

Every function here takes JSON-ish input of any type and a :class:`RepairLog`, returns a
cleaned value, and records what it changed or could not map. They are total: arbitrary input
gives a result, never an exception (tested with Hypothesis).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

import pycountry


@dataclass(frozen=True)
class Repair:
    """One change made to a source value. ``detail`` never holds personal data."""

    kind: str
    field: str
    detail: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "field": self.field, "detail": self.detail}


@dataclass(frozen=True)
class Unmapped:
    """A source value the importer could not map to a vocabulary; it was left out."""

    field: str
    value: str
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "value": self.value, "reason": self.reason}


@dataclass
class RepairLog:
    """What was repaired and what could not be mapped, for one source record."""

    repairs: list[Repair] = field(default_factory=list)
    unmapped: list[Unmapped] = field(default_factory=list)

    def repaired(self, kind: str, field_name: str, detail: str = "") -> None:
        self.repairs.append(Repair(kind, field_name, detail[:200]))

    def not_mapped(self, field_name: str, value: Any, reason: str) -> None:
        self.unmapped.append(Unmapped(field_name, str(value)[:200], reason))

    def as_dict(self) -> dict[str, list[dict[str, str]]]:
        return {
            "repairs": [item.as_dict() for item in self.repairs],
            "unmapped": [item.as_dict() for item in self.unmapped],
        }


# --- text -------------------------------------------------------------------------------------

_ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[A-Za-z]+);")
_CR_LF_ENTITIES = re.compile(r"&#0*13;\s*&#0*10;")


def text_clean(value: Any, log: RepairLog, field_name: str) -> str:
    """A string with HTML entities decoded (``&#184;``, the cedilla, is the data's comma).

    ``&#013; &#010;`` (an encoded line break) becomes a newline; ``&nbsp;`` a space.
    Non-strings become "" (None) or their ``str()`` (numbers), logged.
    """
    if value is None:
        return ""
    if not isinstance(value, str):
        if isinstance(value, (bool, int, float)):
            log.repaired("not-a-string", field_name, f"{type(value).__name__} read as text")
            return str(value)
        log.repaired("not-a-string", field_name, f"{type(value).__name__} dropped")
        return ""
    text = value
    if "&" in text and _ENTITY.search(text):
        text = _CR_LF_ENTITIES.sub("\n", text)
        text = html.unescape(text).replace("\xa0", " ")
        log.repaired("html-entities", field_name)
    if "\u00b8" in text:  # the cedilla that &#184; decodes to, used by the registry for a comma
        text = text.replace("\u00b8", ",")
        log.repaired("cedilla-to-comma", field_name)
    return text.strip()


def as_list(value: Any, log: RepairLog, field_name: str) -> list[Any]:
    """A list, whatever the record has: None -> [], "" -> [], "x" -> ["x"], {..} -> [{..}]."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    if isinstance(value, str):
        if value.strip():
            log.repaired("string-to-list", field_name)
            return [value]
        if value:
            log.repaired("string-to-list", field_name, "blank string read as an empty list")
        return []
    log.repaired("value-to-list", field_name, type(value).__name__)
    return [value]


def text_list(value: Any, log: RepairLog, field_name: str, *, rejoin: bool) -> list[str]:
    """A list of clean, non-empty, unique strings.

    With ``rejoin`` (registry records, whose free text was split on commas), a fragment that
    starts with a space or a lower-case letter continues the previous item and is joined back
    to it with ", ". Empty strings are dropped.
    """
    items = as_list(value, log, field_name)
    out: list[str] = []
    rejoined = dropped = 0
    for item in items:
        if not isinstance(item, str):
            if isinstance(item, (int, float)) and not isinstance(item, bool):
                item = str(item)
            else:
                dropped += 1
                continue
        raw = item
        text = text_clean(raw, log, field_name)
        if not text:
            dropped += 1
            continue
        if rejoin and out and (raw[:1].isspace() or text[:1].islower()):
            out[-1] = f"{out[-1]}, {text}"
            rejoined += 1
            continue
        out.append(text)
    if rejoined:
        log.repaired("fragments-rejoined", field_name, f"{rejoined} fragment(s)")
    if dropped:
        log.repaired("empty-dropped", field_name, f"{dropped} empty or non-text item(s)")
    unique = list(dict.fromkeys(out))
    if len(unique) != len(out):
        log.repaired("duplicates-dropped", field_name, f"{len(out) - len(unique)} duplicate(s)")
    return unique


def yes_no(value: Any) -> bool | None:
    """'Yes' -> True, 'No' -> False; anything else (Unknown, '', None) -> None."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in {"yes", "true"}:
            return True
        if lowered in {"no", "false"}:
            return False
    return None


_URL = re.compile(r"https?://[^\s,;<>\"')\]]+")


def urls_in(text: str) -> list[str]:
    """Every http(s) URL in a text, in order, without trailing punctuation, unique."""
    if not text or "://" not in text:  # most texts have no URL: skip the regular expression
        return []
    found = [match.rstrip(".,;:") for match in _URL.findall(text)]
    return list(dict.fromkeys(found))


def url_first(text: str) -> str:
    """``urls_in(text)[0]``, or "" when the text has no URL (without looking for the others)."""
    if not text or "://" not in text:
        return ""
    match = _URL.search(text)
    return match.group().rstrip(".,;:") if match else ""


_HTTP_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)
_BARE_HOST = re.compile(r"^(www\.)?[a-z0-9-]+(\.[a-z0-9-]+)+(/\S*)?$", re.IGNORECASE)


def url_clean(value: Any, log: RepairLog, field_name: str) -> str:
    """An http(s) URL or "" (a bare host gets https://; anything else is reported)."""
    text = text_clean(value, log, field_name)
    if not text:
        return ""
    if len(text) <= 500 and _HTTP_URL.match(text):
        return text
    if len(text) <= 490 and _BARE_HOST.match(text):
        log.repaired("url-scheme-added", field_name)
        return "https://" + text
    found = urls_in(text)
    if found and len(found[0]) <= 500:
        log.repaired("url-extracted", field_name)
        return found[0]
    log.not_mapped(field_name, text, "not a URL")
    return ""


# --- countries --------------------------------------------------------------------------------

#: The data's own spellings that pycountry does not resolve (or resolves ambiguously).
COUNTRY_SPELLINGS: dict[str, str] = {
    "palestine state": "PS",
    "palestine": "PS",
    "tanzania": "TZ",
    "côte d": "CI",  # truncated "Côte d'Ivoire" in the registry
    "cote d": "CI",
    "côte d'ivoire": "CI",
    "democratic republic of the congo": "CD",
    "congo (congo-brazzaville)": "CG",
    "czechia (czech republic)": "CZ",
    "myanmar (formerly burma)": "MM",
    '"eswatini (fmr. ""swaziland"")"': "SZ",
    "eswatini (fmr. 'swaziland')": "SZ",
    "russia": "RU",
    "vietnam": "VN",
    "laos": "LA",
    "syria": "SY",
    "iran": "IR",
    "south korea": "KR",
    "north korea": "KP",
    "micronesia": "FM",
    "holy see": "VA",
    "brunei": "BN",
    "moldova": "MD",
    "bolivia": "BO",
    "venezuela": "VE",
    "turkey": "TR",
    "cabo verde": "CV",
    "caribbean netherlands": "BQ",
    "united states of america": "US",
    "united kingdom": "GB",
}

#: Parts of a country that the data lists as if they were countries: mapped to the country.
COUNTRY_PARTS: dict[str, str] = {"scotland": "GB", "england": "GB", "wales": "GB", "northern ireland": "GB"}

_COUNTRY_CACHE: dict[str, str | None] = {}


def _country_lookup(name: str) -> str | None:
    key = name.casefold()
    if key in _COUNTRY_CACHE:
        return _COUNTRY_CACHE[key]
    code = COUNTRY_SPELLINGS.get(key)
    if code is None:
        try:
            code = pycountry.countries.lookup(name).alpha_2
        except (LookupError, AttributeError):
            code = None
    _COUNTRY_CACHE[key] = code
    return code


def country_code(value: Any, log: RepairLog, field_name: str) -> str | None:
    """ISO 3166-1 alpha-2 code of a country name or code, or None (reported)."""
    name = text_clean(value, log, field_name)
    if not name:
        return None
    key = name.casefold()
    if key in COUNTRY_PARTS:
        log.repaired("country-part", field_name, f"{name} -> {COUNTRY_PARTS[key]}")
        return COUNTRY_PARTS[key]
    if key in COUNTRY_SPELLINGS:
        code = COUNTRY_SPELLINGS[key]
        log.repaired("country-spelling", field_name, f"{name} -> {code}")
        return code
    code = _country_lookup(name)
    if code is None:
        log.not_mapped(field_name, name, "not an ISO 3166 country")
    return code


def country_codes(value: Any, log: RepairLog, field_name: str) -> list[str]:
    out: list[str] = []
    for item in text_list(value, log, field_name, rejoin=False):
        code = country_code(item, log, field_name)
        if code and code not in out:
            out.append(code)
    return out


# --- SDGs -------------------------------------------------------------------------------------

_SDG = re.compile(r"^\s*(?:SDG|goal)?\s*[:#]?\s*(\d{1,2})(?!\d)", re.IGNORECASE)


def sdg_number(value: Any, log: RepairLog, field_name: str) -> int | None:
    """1..17 from 7, "7", "SDG9: Industry&#184; Innovation and Infrastructure"; else None (reported)."""
    number: int | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str):
        match = _SDG.match(html.unescape(value))
        if match:
            number = int(match.group(1))
            if not value.strip().isdigit():
                log.repaired("sdg-from-label", field_name, f"{value.strip()[:60]} -> {number}")
    if number is None or not 1 <= number <= 17:
        log.not_mapped(field_name, value, "not an SDG number 1-17")
        return None
    return number
