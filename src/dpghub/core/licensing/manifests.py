"""Licence fields of package manifests. Files are parsed as data, never executed.

Each parser returns a list of (raw licence strings, combinator, line, field description) or
raises ``ManifestError`` with a message saying what is wrong and where; ``scan_manifest`` turns
both into ``LicenseEvidence`` and never raises.
"""

from __future__ import annotations

import configparser
import json
import re
import tomllib
import xml.etree.ElementTree as ET

from .expressions import normalize_detail
from .model import LicenseEvidence

__all__ = ["scan_manifest"]


class ManifestError(ValueError):
    pass


# (values, "OR"|"AND", line or None, where)
Field = tuple[list[str], str, int | None, str]


def _line_of(text: str, needle: str) -> int | None:
    i = text.find(needle)
    return text.count("\n", 0, i) + 1 if i >= 0 else None


def _json(text: str, name: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise ManifestError(f"{name} is not valid JSON (line {e.lineno}, column {e.colno}: {e.msg})") from None


def _package_json(text: str, name: str) -> list[Field]:
    data = _json(text, name)
    if not isinstance(data, dict):
        raise ManifestError(f"{name}: the top level is not a JSON object")
    out: list[Field] = []
    lic = data.get("license")
    if isinstance(lic, dict):  # old npm form {"type": "MIT", "url": ...}
        lic = lic.get("type")
    if isinstance(lic, str):
        out.append(([lic], "OR", _line_of(text, '"license"'), "the 'license' field"))
    elif lic is not None:
        raise ManifestError(f"{name}: the 'license' field is a {type(lic).__name__}, expected a string")
    lics = data.get("licenses")
    if isinstance(lics, list):  # legacy npm/bower: list of {"type": ...}; meaning unclear -> AND
        vals = [x.get("type") if isinstance(x, dict) else x for x in lics]
        vals = [v for v in vals if isinstance(v, str)]
        if vals:
            out.append((vals, "AND", _line_of(text, '"licenses"'), "the legacy 'licenses' list"))
    return out


def _composer_json(text: str, name: str) -> list[Field]:
    data = _json(text, name)
    if not isinstance(data, dict):
        raise ManifestError(f"{name}: the top level is not a JSON object")
    lic = data.get("license")
    if isinstance(lic, str):
        return [([lic], "OR", _line_of(text, '"license"'), "the 'license' field")]
    if isinstance(lic, list):  # composer: several licences = the user chooses (OR)
        vals = [v for v in lic if isinstance(v, str)]
        return [(vals, "OR", _line_of(text, '"license"'), "the 'license' list")] if vals else []
    if lic is not None:
        raise ManifestError(f"{name}: the 'license' field is a {type(lic).__name__}, expected a string or list")
    return []


def _bower_json(text: str, name: str) -> list[Field]:
    data = _json(text, name)
    if not isinstance(data, dict):
        raise ManifestError(f"{name}: the top level is not a JSON object")
    lic = data.get("license")
    if isinstance(lic, str):
        return [([lic], "OR", _line_of(text, '"license"'), "the 'license' field")]
    if isinstance(lic, list):
        vals = [v for v in lic if isinstance(v, str)]
        return [(vals, "AND", _line_of(text, '"license"'), "the 'license' list")] if vals else []
    return []


def _classifiers(values, text: str) -> list[Field]:
    out: list[Field] = []
    for c in values or ():
        if isinstance(c, str) and c.strip().lower().startswith("license ::"):
            out.append(([c.strip()], "OR", _line_of(text, c.strip()), f"the classifier '{c.strip()}'"))
    return out


def _toml(text: str, name: str) -> dict:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ManifestError(f"{name} is not valid TOML ({e})") from None


def _pyproject(text: str, name: str) -> list[Field]:
    data = _toml(text, name)
    out: list[Field] = []
    project = data.get("project") if isinstance(data.get("project"), dict) else {}
    lic = project.get("license")
    if isinstance(lic, str):  # PEP 639: an SPDX expression
        out.append(([lic], "OR", _line_of(text, "license"), "[project] license"))
    elif isinstance(lic, dict) and isinstance(lic.get("text"), str):
        out.append(([lic["text"]], "OR", _line_of(text, "license"), "[project] license.text"))
    out += _classifiers(project.get("classifiers"), text)
    poetry = data.get("tool", {}).get("poetry", {}) if isinstance(data.get("tool"), dict) else {}
    if isinstance(poetry, dict) and isinstance(poetry.get("license"), str):
        out.append(([poetry["license"]], "OR", _line_of(text, "license"), "[tool.poetry] license"))
        out += _classifiers(poetry.get("classifiers"), text)
    return out


def _cargo(text: str, name: str) -> list[Field]:
    data = _toml(text, name)
    pkg = data.get("package") if isinstance(data.get("package"), dict) else {}
    lic = pkg.get("license")
    if isinstance(lic, str):  # SPDX expression; "/" is Cargo's legacy OR
        return [([lic], "OR", _line_of(text, "license"), "[package] license")]
    return []


def _setup_cfg(text: str, name: str) -> list[Field]:
    cp = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        cp.read_string(text)
    except configparser.Error as e:
        raise ManifestError(f"{name} is not a valid INI file ({str(e).splitlines()[0]})") from None
    out: list[Field] = []
    if cp.has_section("metadata"):
        meta = cp["metadata"]
        lic = meta.get("license") or meta.get("license_expression")
        if lic and lic.strip():
            out.append(([lic.strip()], "OR", _line_of(text, "license"), "[metadata] license"))
        out += _classifiers((meta.get("classifiers") or "").splitlines(), text)
    return out


_SETUP_PY_LICENSE = re.compile(r"""\blicense(?:_expression)?\s*=\s*(?P<q>['"]{1,3})(?P<v>.+?)(?P=q)""", re.DOTALL)
_SETUP_PY_CLASSIFIER = re.compile(r"""['"](License\s*::[^'"\n]+)['"]""")


def _setup_py(text: str, name: str) -> list[Field]:
    out: list[Field] = []
    m = _SETUP_PY_LICENSE.search(text)
    if m and m.group("v").strip():
        out.append(([m.group("v").strip()], "OR", text.count("\n", 0, m.start()) + 1, "setup(license=...)"))
    for m in _SETUP_PY_CLASSIFIER.finditer(text):
        out.append(([m.group(1)], "OR", text.count("\n", 0, m.start()) + 1, f"the classifier '{m.group(1)}'"))
    return out


_GEMSPEC = re.compile(
    r"""\.licen[sc]es?\s*=\s*(?:\[(?P<list>[^\]]*)\]|%w[\[(](?P<w>[^\])]*)[\])]|(?P<q>['"])(?P<v>[^'"]+)(?P=q))"""
)


def _gemspec(text: str, name: str) -> list[Field]:
    out: list[Field] = []
    for m in _GEMSPEC.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        if m.group("v"):
            out.append(([m.group("v")], "OR", line, "spec.license"))
        else:
            raw = m.group("list") if m.group("list") is not None else m.group("w")
            vals = re.findall(r"""['"]([^'"]+)['"]""", raw) if m.group("list") is not None else raw.split()
            if vals:
                out.append((vals, "AND", line, "spec.licenses"))
    return out


def _description(text: str, name: str) -> list[Field]:
    # Debian control file syntax (DCF): "Field: value", continuation lines start with blanks.
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if re.match(r"^License\s*:", line):
            value = line.split(":", 1)[1].strip()
            for cont in lines[i + 1 :]:
                if cont[:1] in (" ", "\t"):
                    value += " " + cont.strip()
                else:
                    break
            if not value:
                raise ManifestError(f"{name} line {i + 1}: the License field is empty")
            return [([value], "OR", i + 1, "the License field")]
    return []


def _xml(text: str, name: str):
    try:
        return ET.fromstring(text.encode("utf-8") if text.lstrip().startswith("<?xml") else text)
    except ET.ParseError as e:
        raise ManifestError(f"{name} is not well-formed XML ({e})") from None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _pom(text: str, name: str) -> list[Field]:
    root = _xml(text, name)
    vals = []
    for el in root:
        if _local(el.tag) != "licenses":
            continue
        for lic in el:
            if _local(lic.tag) != "license":
                continue
            fields = {_local(c.tag): (c.text or "").strip() for c in lic}
            v = fields.get("name") or fields.get("url")
            if v:
                vals.append(v)
    # Maven: several licences mean the user may choose any of them (OR)
    return [(vals, "OR", _line_of(text, "<licenses"), "<licenses>")] if vals else []


def _nuspec(text: str, name: str) -> list[Field]:
    root = _xml(text, name)
    out: list[Field] = []
    for el in root.iter():
        tag = _local(el.tag)
        if tag == "license" and (el.get("type") or "expression") == "expression" and (el.text or "").strip():
            out.append(([el.text.strip()], "OR", _line_of(text, "<license"), "<license type=\"expression\">"))
        elif tag == "licenseUrl" and (el.text or "").strip() and not out:
            out.append(([el.text.strip()], "OR", _line_of(text, "<licenseUrl"), "<licenseUrl>"))
    return out[:1]


_PARSERS = {
    "package.json": _package_json,
    "composer.json": _composer_json,
    "bower.json": _bower_json,
    "pyproject.toml": _pyproject,
    "cargo.toml": _cargo,
    "setup.cfg": _setup_cfg,
    "setup.py": _setup_py,
    "description": _description,
    "pom.xml": _pom,
}


def _parser_for(name: str):
    low = name.lower()
    if low.endswith(".gemspec"):
        return _gemspec
    if low.endswith(".nuspec"):
        return _nuspec
    return _PARSERS.get(low)


def scan_manifest(relpath: str, text: str) -> list[LicenseEvidence]:
    """Licence evidence from a manifest's licence fields. Never raises."""
    name = relpath.replace("\\", "/").rsplit("/", 1)[-1]
    parser = _parser_for(name)
    if parser is None:
        return []
    try:
        fields = parser(text, relpath)
    except ManifestError as e:
        return [LicenseEvidence("NOASSERTION", "manifest", relpath, None, 0.0, "manifest-error",
                                f"{e}; its licence field was not read")]
    except Exception as e:  # noqa: BLE001 - a parser bug must not break a screening run
        return [LicenseEvidence("NOASSERTION", "manifest", relpath, None, 0.0, "manifest-error",
                                f"{relpath} could not be read ({type(e).__name__}: {e}); its licence field was not read")]
    out: list[LicenseEvidence] = []
    seen = set()
    for values, op, line, where in fields:
        ids, problems = [], []
        for v in values:
            expr, why = normalize_detail(v)
            if expr is None:
                problems.append(why)
            else:
                ids.append(expr if " " not in expr else f"({expr})")
        if problems:
            # an unmappable classifier ("OSI Approved :: Apache Software License") is only a note
            conf = 0.0 if where.startswith("the classifier") else 0.3
            out.append(LicenseEvidence("NOASSERTION", "manifest", relpath, line, conf, "manifest-field",
                                       f"{relpath}, {where}: {'; '.join(problems)}"))
            continue
        expr = ids[0] if len(ids) == 1 else normalize_detail(f" {op} ".join(ids))[0]
        if expr is None:
            continue
        expr = expr[1:-1] if expr.startswith("(") and expr.endswith(")") and len(ids) == 1 else expr
        if expr in seen:
            continue
        seen.add(expr)
        note = " (several licences listed; their relation is not stated, read as AND)" if op == "AND" and len(ids) > 1 else ""
        out.append(LicenseEvidence(expr, "manifest", relpath, line, 0.9, "manifest-field",
                                   f"{relpath}, {where}: {', '.join(values)}{note}"))
    return out
