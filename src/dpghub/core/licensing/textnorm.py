"""Text normalisation for licence matching, after the SPDX matching guidelines.

The guidelines (https://spdx.github.io/spdx-spec/v2.3/license-matching-guidelines-and-templates/)
say that case, whitespace, punctuation, quotes, dashes, bullets and list numbering, copyright
notices, markup and "varietal" spellings (licence/license ...) must not change the outcome of a
match. Years (1900-2099) are dropped wherever they stand: they are the variable part of copyright
notices quoted inside licence texts ("Copyright (c) 2001-2024 Python Software Foundation"). We turn a text into a list of lower-case word tokens, each with the 1-based line it came
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
    "sublicence": "sublicense",
    "https": "http",
    "whilst": "while",
    "utilise": "utilize",
    "artefact": "artifact",
    "programme": "program",
}
_DROP_WORDS = frozenset({"www", "http"})

_MD_LINK = re.compile(r"\]\([^)\s]*\)")
_HTML_TAG = re.compile(
    r"<!--.*?-->|</?(?:a|p|br|hr|div|span|h[1-6]|ul|ol|li|pre|code|b|i|em|strong|blockquote|table|tr|td|th|"
    r"tbody|thead|html|head|body|title|meta|link|style|script|center|font|tt|dl|dt|dd|small|big|sup|sub|"
    r"section|article|nav|header|footer|main|img|abbr|u|s|!doctype)\b[^<>]{0,400}>",
    re.IGNORECASE | re.DOTALL,
)


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


# Whole-text, line-preserving versions of the per-line rules (one regex pass each instead of
# one per line). "[^\S\n]" = blank other than a line break, so no rule crosses lines.
_COPYRIGHT_LINES = re.compile(
    r"^(?:[^\w\n]|_)*(?:copyright[^\S\n]*(?:\(c\)|©|&copy;|\d{4}|\[|<|\{|by\b|holders?[^\S\n]*:|notice[^\S\n]*:)"
    r"|\(c\)[^\S\n]*\d|©|all rights reserved\b|year[^\S\n]*:[^\S\n]*\d).*$",
    re.MULTILINE,
)
_MARKERS = re.compile(
    r"^[#>\t ]*(?:(?:[*\-+•·>]+|\(?(?:\d{1,3}(?:\.\d{1,3})*|[a-z]|[ivxlc]{1,6})[.)]+|\d{1,3}(?:\.\d{1,3})+)"
    r"[\t ]+[#>\t ]*){1,3}",
    re.MULTILINE,
)
_INLINE_LABELS = re.compile(r"\([^\S\n]*(?:[a-z]|[ivx]{1,4}|\d{1,2})[^\S\n]*\)")
_WORD_OR_NL = re.compile(r"[^\W_]+|\n")


def tokenize(text: str, *, drop_copyright: bool = True) -> list[Token]:
    """Normalise ``text`` into (word, line) tokens. Never raises on any ``str``."""
    if not text:
        return []
    text = text.removeprefix("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "<" in text and ">" in text:
        # HTML: tags become spaces (line breaks inside tags are kept for line numbers)
        text = _HTML_TAG.sub(lambda m: " " + "\n" * m.group(0).count("\n"), text)
    if "&" in text:
        text = html.unescape(text).replace("&", " and ")
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    text = text.lower()
    # markdown emphasis (*, _) and apostrophes ("licensor's" = "licensors") are dropped
    text = (text.replace("*", " ").replace("_", " ").replace("'", "").replace("\u2019", "")
            .replace("\u2018", "").replace("`", ""))
    if "](" in text:
        text = _MD_LINK.sub("]", text)
    if drop_copyright:
        text = _COPYRIGHT_LINES.sub("", text)
    text = _MARKERS.sub(" ", text)
    if "(" in text:
        text = _INLINE_LABELS.sub(" ", text)
    out: list[Token] = []
    append = out.append
    varietal = _VARIETAL
    drop = _DROP_WORDS
    lineno = 1
    for w in _WORD_OR_NL.findall(text):
        if w == "\n":
            lineno += 1
            continue
        w = varietal.get(w, w)
        if w in drop or (len(w) == 4 and w[:2] in ("19", "20") and w.isdigit()):
            continue  # years are copyright notices' variable part, wherever they appear
        append((w, lineno))
    return out


def words(text: str) -> list[str]:
    return [w for w, _ in tokenize(text)]
