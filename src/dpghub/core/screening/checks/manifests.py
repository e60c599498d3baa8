"""Direct dependencies read from manifests, never by running a package manager.

Every parser takes the manifest's text and returns :class:`Dependency` rows; a manifest that does not
parse gives no rows (the caller records it) rather than an exception.
"""

from __future__ import annotations

import configparser
import json
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Dependency:
    name: str
    ecosystem: str
    manifest: str
    scope: str = "runtime"  # "runtime" | "dev"
    line: int | None = None


def _line(text: str, name: str) -> int | None:
    index = text.find(name)
    return None if index < 0 else text.count("\n", 0, index) + 1


def _rows(text: str, path: str, ecosystem: str, names: list[tuple[str, str]]) -> list[Dependency]:
    seen, rows = set(), []
    for name, scope in names:
        name = name.strip()
        if not name or (name, scope) in seen:
            continue
        seen.add((name, scope))
        rows.append(Dependency(name, ecosystem, path, scope, _line(text, name)))
    return rows


def package_json(text: str, path: str) -> list[Dependency]:
    data = json.loads(text)
    names = []
    for key, scope in (("dependencies", "runtime"), ("peerDependencies", "runtime"),
                       ("optionalDependencies", "runtime"), ("devDependencies", "dev")):
        section = data.get(key)
        if isinstance(section, dict):
            names += [(str(n), scope) for n in section]
    return _rows(text, path, "npm", names)


_REQ_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def _pep508(spec: str) -> str | None:
    match = _REQ_NAME.match(spec)
    return match.group(1) if match else None


def requirements_txt(text: str, path: str) -> list[Dependency]:
    scope = "dev" if re.search(r"dev|test|lint|doc", path.rsplit("/", 1)[-1], re.IGNORECASE) else "runtime"
    names = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith(("-", "git+", "http:", "https:", "/", ".")):
            continue
        name = _pep508(line)
        if name:
            names.append((name, scope))
    return _rows(text, path, "pypi", names)


def pyproject(text: str, path: str) -> list[Dependency]:
    data = tomllib.loads(text)
    names = [(_pep508(s) or "", "runtime") for s in data.get("project", {}).get("dependencies", []) or []]
    for group, specs in (data.get("project", {}).get("optional-dependencies", {}) or {}).items():
        names += [(_pep508(s) or "", "dev" if group in ("dev", "test", "tests", "docs", "lint") else "runtime")
                  for s in specs or []]
    poetry = data.get("tool", {}).get("poetry", {})
    names += [(n, "runtime") for n in (poetry.get("dependencies", {}) or {}) if n.lower() != "python"]
    names += [(n, "dev") for n in (poetry.get("dev-dependencies", {}) or {})]
    for group in (poetry.get("group", {}) or {}).values():
        names += [(n, "dev") for n in (group or {}).get("dependencies", {}) or {}]
    return _rows(text, path, "pypi", names)


def pipfile(text: str, path: str) -> list[Dependency]:
    data = tomllib.loads(text)
    names = [(n, "runtime") for n in data.get("packages", {}) or {}]
    names += [(n, "dev") for n in data.get("dev-packages", {}) or {}]
    return _rows(text, path, "pypi", names)


_POM_DEP = re.compile(r"<dependency>(.*?)</dependency>", re.DOTALL)
_POM_FIELD = re.compile(r"<(groupId|artifactId|scope)>\s*([^<\s]+)\s*</\1>")


def pom_xml(text: str, path: str) -> list[Dependency]:
    names = []
    for block in _POM_DEP.findall(text):
        fields = dict(_POM_FIELD.findall(block))
        if "artifactId" in fields:
            name = f"{fields.get('groupId', '')}:{fields['artifactId']}".lstrip(":")
            names.append((name, "dev" if fields.get("scope") in ("test", "provided") else "runtime"))
    return _rows(text, path, "maven", names)


_GRADLE = re.compile(
    r"^\s*(implementation|api|compile|runtimeOnly|compileOnly|testImplementation|testCompile|androidTestImplementation|"
    r"kapt|annotationProcessor)\s*\(?\s*['\"]([^'\"]+)['\"]", re.MULTILINE)


def build_gradle(text: str, path: str) -> list[Dependency]:
    names = []
    for config, coordinate in _GRADLE.findall(text):
        name = ":".join(coordinate.split(":")[:2])
        names.append((name, "dev" if config.lower().startswith(("test", "androidtest")) else "runtime"))
    return _rows(text, path, "maven", names)


def go_mod(text: str, path: str) -> list[Dependency]:
    names = []
    in_block = False
    for raw in text.splitlines():
        line = raw.split("//", 1)[0].strip()
        if line.startswith("require ("):
            in_block = True
            continue
        if in_block and line == ")":
            in_block = False
            continue
        if line.startswith("require "):
            line = line[len("require "):]
        elif not in_block:
            continue
        parts = line.split()
        if len(parts) >= 2:
            names.append((parts[0], "runtime"))
    return _rows(text, path, "go", names)


def cargo_toml(text: str, path: str) -> list[Dependency]:
    data = tomllib.loads(text)
    names = [(n, "runtime") for n in data.get("dependencies", {}) or {}]
    names += [(n, "dev") for key in ("dev-dependencies", "build-dependencies") for n in data.get(key, {}) or {}]
    return _rows(text, path, "cargo", names)


def composer_json(text: str, path: str) -> list[Dependency]:
    data = json.loads(text)
    names = []
    for key, scope in (("require", "runtime"), ("require-dev", "dev")):
        section = data.get(key)
        if isinstance(section, dict):
            names += [(n, scope) for n in section if n != "php" and not n.startswith("ext-")]
    return _rows(text, path, "packagist", names)


_GEM = re.compile(r"^\s*gem\s+['\"]([^'\"]+)['\"]", re.MULTILINE)


def gemfile(text: str, path: str) -> list[Dependency]:
    return _rows(text, path, "rubygems", [(n, "runtime") for n in _GEM.findall(text)])


_DCF_FIELD = re.compile(r"^(Depends|Imports|LinkingTo|Suggests):(.*(?:\n[ \t]+.*)*)", re.MULTILINE)


def r_description(text: str, path: str) -> list[Dependency]:
    names = []
    for field_name, value in _DCF_FIELD.findall(text):
        for item in value.split(","):
            name = item.strip().split("(")[0].strip()
            if name and name != "R":
                names.append((name, "dev" if field_name == "Suggests" else "runtime"))
    return _rows(text, path, "cran", names)


_CSPROJ = re.compile(r"<PackageReference\s+Include=\"([^\"]+)\"")


def csproj(text: str, path: str) -> list[Dependency]:
    return _rows(text, path, "nuget", [(n, "runtime") for n in _CSPROJ.findall(text)])


def pubspec(text: str, path: str) -> list[Dependency]:
    names, section = [], None
    for line in text.splitlines():
        if re.match(r"^(dependencies|dev_dependencies):\s*$", line):
            section = "dev" if line.startswith("dev") else "runtime"
        elif re.match(r"^\S", line):
            section = None
        elif section and (m := re.match(r"^  ([A-Za-z_][\w]*):", line)) and m.group(1) != "flutter":
            names.append((m.group(1), section))
    return _rows(text, path, "pub", names)


def unity_manifest(text: str, path: str) -> list[Dependency]:
    """Unity's package manifest, ``Packages/manifest.json``: ``{"dependencies": {"com.unity.x": "1.0"}}``."""
    data = json.loads(text)
    section = data.get("dependencies")
    names = [(str(n), "runtime") for n in section] if isinstance(section, dict) else []
    testables = data.get("testables")
    if isinstance(testables, list):
        names += [(str(n), "dev") for n in testables]
    return _rows(text, path, "unity", names)


_NUGET_PACKAGE = re.compile(r"<package\s+([^>]*?)/?>", re.IGNORECASE)
_XML_ATTR = re.compile(r"""(\w+)\s*=\s*["']([^"']*)["']""")


def packages_config(text: str, path: str) -> list[Dependency]:
    """NuGet's older ``packages.config``: ``<package id="X" version="1" developmentDependency="true" />``."""
    names = []
    for attrs in _NUGET_PACKAGE.findall(text):
        fields = {k.lower(): v for k, v in _XML_ATTR.findall(attrs)}
        if fields.get("id"):
            names.append((fields["id"], "dev" if fields.get("developmentdependency") == "true" else "runtime"))
    return _rows(text, path, "nuget", names)


_CONDA_ITEM = re.compile(r"^(\s*)-\s*([^\s#]+)")


def conda_environment(text: str, path: str) -> list[Dependency]:
    """A conda ``environment.yml``: the items under ``dependencies:``, and those under its ``- pip:``."""
    names, in_deps, pip_indent = [], False, None
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            in_deps = line.startswith("dependencies:")
            pip_indent = None
            continue
        match = _CONDA_ITEM.match(line)
        if not in_deps or not match:
            continue
        indent, item = len(match.group(1)), match.group(2)
        if item.rstrip(":") == "pip" and item.endswith(":"):
            pip_indent = indent
            continue
        if pip_indent is not None and indent > pip_indent:
            name = _pep508(item)
            if name:
                names.append((name, "runtime"))
            continue
        pip_indent = None
        name = re.split(r"[=<>!~\[ ]", item.split("::")[-1], maxsplit=1)[0]
        if name and name not in ("python", "pip"):
            names.append((name, "runtime"))
    return _rows(text, path, "conda", names)


def setup_cfg(text: str, path: str) -> list[Dependency]:
    """setuptools' ``setup.cfg``: ``[options] install_requires`` and ``[options.extras_require]``."""
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.read_string(text)
    names = []
    if parser.has_option("options", "install_requires"):
        names += [(_pep508(s) or "", "runtime") for s in parser.get("options", "install_requires").splitlines()]
    if parser.has_section("options.extras_require"):
        for group, specs in parser.items("options.extras_require"):
            scope = "dev" if group in ("dev", "test", "tests", "docs", "lint") else "runtime"
            names += [(_pep508(s) or "", scope) for s in specs.splitlines()]
    return _rows(text, path, "pypi", names)


_POD = re.compile(r"^\s*pod\s+['\"]([^'\"]+)['\"]", re.MULTILINE)


def podfile(text: str, path: str) -> list[Dependency]:
    """CocoaPods' ``Podfile``: ``pod 'Alamofire', '~> 5.0'``."""
    return _rows(text, path, "cocoapods", [(n, "runtime") for n in _POD.findall(text)])


_MIX_DEP = re.compile(r"\{\s*:(\w+)\s*,([^}\n]*)\}")


def mix_exs(text: str, path: str) -> list[Dependency]:
    """Elixir's ``mix.exs``: the ``{:name, "~> 1.0"}`` tuples of its ``deps`` function."""
    start = text.find("defp deps")
    body = text[start:] if start >= 0 else ""
    names = [(n, "dev" if re.search(r"only:\s*(?::test|:dev|\[)", rest) else "runtime")
             for n, rest in _MIX_DEP.findall(body)]
    return _rows(text, path, "hex", names)


def gradle_catalog(text: str, path: str) -> list[Dependency]:
    """A Gradle version catalog (``gradle/libs.versions.toml``): its ``[libraries]``, written as
    ``"group:artifact:version"``, ``{ module = "group:artifact" }`` or ``{ group = "g", name = "a" }``."""
    libraries = tomllib.loads(text).get("libraries", {}) or {}
    names = []
    for value in libraries.values():
        if isinstance(value, str):
            coordinate = value
        elif isinstance(value, dict):
            coordinate = value.get("module") or f"{value.get('group', '')}:{value.get('name', '')}"
        else:
            continue
        parts = str(coordinate).split(":")
        if len(parts) >= 2 and parts[0] and parts[1]:
            names.append((f"{parts[0]}:{parts[1]}", "runtime"))
    return _rows(text, path, "maven", names)


_PACKAGE_VERSION = re.compile(r"<PackageVersion\s+Include=\"([^\"]+)\"")


def directory_packages(text: str, path: str) -> list[Dependency]:
    """.NET central package management, ``Directory.Packages.props``: ``<PackageVersion Include="X" />``."""
    return _rows(text, path, "nuget", [(n, "runtime") for n in _PACKAGE_VERSION.findall(text)])


_SETUP_PY_LIST = re.compile(r"\b(install_requires|tests_require)\s*=\s*\[([^\]]*)\]", re.DOTALL)
_QUOTED = re.compile(r"""["']([^"'\n]+)["']""")


def setup_py(text: str, path: str) -> list[Dependency]:
    """``setup.py``, read as text (never run): the literal lists given to ``install_requires`` and
    ``tests_require``; requirements computed at run time are not seen."""
    names = []
    for keyword, body in _SETUP_PY_LIST.findall(text):
        scope = "dev" if keyword == "tests_require" else "runtime"
        names += [(_pep508(spec) or "", scope) for spec in _QUOTED.findall(body)]
    return _rows(text, path, "pypi", names)


_PARSERS: dict[str, Callable[[str, str], list[Dependency]]] = {
    "package.json": package_json, "pyproject.toml": pyproject, "Pipfile": pipfile, "pom.xml": pom_xml,
    "build.gradle": build_gradle, "build.gradle.kts": build_gradle, "go.mod": go_mod, "Cargo.toml": cargo_toml,
    "composer.json": composer_json, "Gemfile": gemfile, "DESCRIPTION": r_description, "pubspec.yaml": pubspec,
    "packages.config": packages_config, "environment.yml": conda_environment, "environment.yaml": conda_environment,
    "setup.cfg": setup_cfg, "Podfile": podfile, "mix.exs": mix_exs, "libs.versions.toml": gradle_catalog,
    "Directory.Packages.props": directory_packages, "setup.py": setup_py,
}
# Manifests known by their place, not only their name ("manifest.json" alone is a web app manifest).
UNITY_MANIFEST = "Packages/manifest.json"


def parser_for(path: str) -> Callable[[str, str], list[Dependency]] | None:
    """The parser of a manifest, from its path (or its bare file name), or None."""
    name = path.rsplit("/", 1)[-1]
    found = _PARSERS.get(name)
    if found is not None:
        return found
    if name.startswith("requirements") and name.endswith(".txt"):
        return requirements_txt
    if name == "manifest.json" and (path == UNITY_MANIFEST or path.endswith("/" + UNITY_MANIFEST)):
        return unity_manifest
    return csproj if name.endswith((".csproj", ".fsproj", ".vbproj")) else None


def is_manifest(path: str) -> bool:
    return parser_for(path) is not None
