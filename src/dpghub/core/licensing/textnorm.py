"""Text normalisation for licence matching, after the SPDX matching guidelines.

The guidelines (https://spdx.github.io/spdx-spec/v2.3/license-matching-guidelines-and-templates/)
say that case, whitespace, punctuation, quotes, dashes, bullets and list numbering, copyright
notices, markup and "varietal" spellings (licence/license ...) must not change the outcome of a
match. We turn a text into a list of lower-case word tokens, each with the 1-based line it came
from, so that a match can be reported with a line number.
"""

from __future__ import annotations

import html
import re
import unicodedata

__all__ = ["Token", "decode_text", "tokenize", "words"]

Token = tuple[str, int]  # (word, 1-based line)

# Varietal spellings (SPDX "equivalent words" idea; our own short list, British -> American).
_VARIETAL = {
    "licence": "license",
    "licences": "licenses",
    "licenced": "licensed",
    "licencing": "licensing",
    "licensor": "licensor",
    "acknowledgement": "acknowledgment",
    "acknowledgements": "acknowledgments",
    "analogue": "analog",
    "authorise": "authorize",
    "authorised": "authorized",
    "behaviour": "behavior",
    "centre": "center",
    "favour": "favor",
    "organisation": "organization",
    "organisations": "organizations",
    "recognise": "recognize",
    "recognised": "recognized",
    "sub": "sub",
    "sublicence": "sublicense",
    "copyright": "copyright",
    "percent": "percent",
    "https": "http",
    "noninfringement": "noninfringement",
    "nonexclusive": "nonexclusive",
    "whilst": "while",
    "utilise": "utilize",
    "artefact": "artifact",
    "programme": "program",
    "per": "per",
}
_DROP_WORDS = frozenset({"www", "http"})

# A copyright statement line (not a line of licence prose that happens to start with the word):
# "Copyright (c) 2020 X", "Copyright 2010-2020 X", "Copyright [yyyy] ...", "© X", "(c) 2020 X",
# "All rights reserved.", and R's template "YEAR: 2017" / "COPYRIGHT HOLDER: X".
_COPYRIGHT_LINE = re.compile(
    r"^[\W_]*(?:copyright\s*(?:\(c\)|©|&copy;|\d{4}|\[|<|\{|by\b|holders?\s*:|notice\s*:)|\(c\)\s*\d|©"
    r"|all rights reserved\b|year\s*:\s*\d)",
    re.IGNORECASE,
)
_LIST_MARKER = re.compile(
    r"^\s*(?:[*\-+•·>]+\s+|\(?(?:\d{1,3}(?:\.\d{1,3})*|[a-z]|[ivxlc]{1,6})[.)]+\s+|\d{1,3}(?:\.\d{1,3})+\s+)",
    re.IGNORECASE,
)
_MD_LINK = re.compile(r"\]\([^)\s]*\)")
_HTML_TAG = re.compile(
    r"<!--.*?-->|</?(?:a|p|br|hr|div|span|h[1-6]|ul|ol|li|pre|code|b|i|em|strong|blockquote|table|tr|td|th|"
    r"tbody|thead|html|head|body|title|meta|link|style|script|center|font|tt|dl|dt|dd|small|big|sup|sub|"
    r"section|article|nav|header|footer|main|img|abbr|u|s|!doctype)\b[^<>]{0,400}>",
    re.IGNORECASE | re.DOTALL,
)
# "(a)", "(iv)", "(1)" list labels anywhere in a line (reflowing moves them off the line start)
_INLINE_LABEL = re.compile(r"\(\s*(?:[a-z]|[ivx]{1,4}|\d{1,2})\s*\)", re.IGNORECASE)
_APOSTROPHE = re.compile(r"(?<=\w)['’‘`](?=\w)")
_WORD = re.compile(r"[^\W_]+")


def decode_text(data: bytes) -> str:
    """Decode file bytes: UTF-8 (with or without BOM), else UTF-16 with a BOM, else cp1252/Latin-1.

    Never raises: undecodable bytes fall back to Latin-1, which maps every byte.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


_EMPHASIS = re.compile(r"\*+|(?<![^\W_])_+|_+(?![^\W_])")


def _clean_line(line: str) -> str:
    line = _MD_LINK.sub("]", line)
    # markers may be stacked: "* **a)** text", "## 1. Definitions", "> - item"
    for _ in range(3):
        stripped = _LIST_MARKER.sub(" ", line.lstrip("#> \t"), count=1)
        if stripped == line:
            break
        line = stripped
    if "(" in line:
        line = _INLINE_LABEL.sub(" ", line)
    return _APOSTROPHE.sub("", line.replace("&", " and "))


def tokenize(text: str, *, drop_copyright: bool = True) -> list[Token]:
    """Normalise ``text`` into (word, line) tokens. Never raises on any ``str``."""
    if not text:
        return []
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "<" in text and ">" in text:
        # HTML: tags become spaces (line breaks inside tags are kept for line numbers)
        text = _HTML_TAG.sub(lambda m: " " + "\n" * m.group(0).count("\n"), text)
    if "&" in text:
        text = html.unescape(text)
    text = unicodedata.normalize("NFKC", text).lower()
    out: list[Token] = []
    append = out.append
    varietal = _VARIETAL
    drop = _DROP_WORDS
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line or line.isspace():
            continue
        if "*" in line or "_" in line:
            line = _EMPHASIS.sub(" ", line)
        if drop_copyright and _COPYRIGHT_LINE.match(line):
            continue
        for w in _WORD.findall(_clean_line(line)):
            w = varietal.get(w, w)
            if w in drop:
                continue
            append((w, lineno))
    return out


def words(text: str) -> list[str]:
    return [w for w, _ in tokenize(text)]
