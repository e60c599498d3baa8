"""Which repository files are worth reading for licence detection."""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["FileRole", "classify_path", "is_license_path", "is_third_party_notice"]

FileRole = str  # "license-file" | "manifest" | "readme" | ""

_SKIP_DIRS = frozenset({".git", "node_modules", ".hg", ".svn", "__pycache__", ".venv", "venv", ".tox"})
# Licence-ish file names: LICENSE, LICENCE, COPYING, UNLICENSE, COPYRIGHT, PATENTS, with any
# suffix (LICENSE-MIT, COPYING.LESSER, LICENSE_1_0.txt) or prefix (MIT-LICENSE, GPL.license).
_LICENSE_NAME = re.compile(
    r"^(?:(?:un)?licen[sc]es?|copying|copyright|patents)(?:$|[.\-_ ])"
    r"|[.\-_](?:licen[sc]es?|copying)(?:$|\.)",
    re.IGNORECASE,
)
# Extensions that make a licence-like name a program or data file, not a licence text.
_CODE_EXT = frozenset(
    ["py", "pyc", "js", "mjs", "cjs", "ts", "tsx", "jsx", "go", "rb", "java", "kt", "scala", "c", "h", "cc", "cpp", "hpp", "cs", "php", "pl", "pm", "rs", "swift", "m", "sh", "bash", "ps1", "bat", "json", "yml", "yaml", "toml", "xml", "lock", "png", "jpg", "jpeg", "gif", "svg", "ico", "pdf", "zip", "gz", "tar", "jar", "class", "so", "dll", "exe", "css", "scss", "less", "vue", "erb", "haml", "ejs", "tpl", "sql", "csv", "tsv", "ipynb", "dart", "ex", "exs", "lua", "r", "jl"]
)
_README = re.compile(r"^readme(?:\.(?:md|markdown|txt|rst|adoc|asciidoc|org|textile|rdoc))?$", re.IGNORECASE)
_MANIFESTS = frozenset(
    {"package.json", "pyproject.toml", "setup.cfg", "setup.py", "cargo.toml", "composer.json",
     "description", "pom.xml", "bower.json"}
)


# The four non-ASCII letters that a case-insensitive pattern matches to ASCII ones (İ ı ſ K).
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})
# Every name with a role contains one of these (the REUSE folder contains "licen"): a path holding
# none has no role, which a few substring tests tell without splitting it (most paths of a repository;
# cheaper than a case-insensitive regular expression of these words).
_ROLE_WORDS = ("licen", "copying", "copyright", "patents", "readme", "gemspec", "nuspec", *sorted(_MANIFESTS))


def classify_path(relpath: str) -> FileRole:
    """The role of a file for licence detection: "license-file", "manifest", "readme" or ""."""
    if not isinstance(relpath, str) or not relpath:
        return ""
    low = relpath.lower() if relpath.isascii() else relpath.translate(_FOLD).lower()
    for word in _ROLE_WORDS:
        if word in low:
            return _classify(relpath)
    return ""


@lru_cache(maxsize=65536)
def _classify(relpath: str) -> FileRole:
    parts = [p for p in relpath.replace("\\", "/").split("/") if p not in ("", ".")]
    if not parts or any(p in _SKIP_DIRS for p in parts[:-1]):
        return ""
    name = parts[-1]
    low = name.lower()
    if low in _MANIFESTS:
        # DESCRIPTION is R's manifest only under that exact (upper-case) name
        return "manifest" if low != "description" or name == "DESCRIPTION" else ""
    if low.endswith((".gemspec", ".nuspec")):
        return "manifest"
    if _README.match(name):
        return "readme"
    ext = low.rsplit(".", 1)[1] if "." in low else ""
    if len(parts) >= 2 and parts[-2] in ("LICENSES", "licenses") and ext not in _CODE_EXT:
        return "license-file"  # REUSE: LICENSES/<SPDX-id>.txt
    if _LICENSE_NAME.search(name) and ext not in _CODE_EXT:
        return "license-file"
    return ""


def is_license_path(relpath: str) -> bool:
    """Is this file worth reading for licence detection (licence texts, manifests, READMEs)?"""
    return classify_path(relpath) != ""


# Licence-like files that describe *other* people's code (bundled dependencies, attributions).
_THIRD_PARTY = re.compile(
    r"(?:third|3rd)[-_ .]?party|notices?(?:$|[-_ .])|dependenc|bundled|vendor|credits|acknowledg|attribution",
    re.IGNORECASE,
)


def is_third_party_notice(relpath: str) -> bool:
    """Is this licence-like file about bundled third-party code (THIRD-PARTY-NOTICES, LICENSE-3RD-PARTY ...)?"""
    return bool(_THIRD_PARTY.search(relpath.replace("\\", "/").rsplit("/", 1)[-1]))
