"""classify_path answers most paths with a few substring tests; it must agree with the full rules."""

from __future__ import annotations

import pytest

from dpghub.core.licensing.paths import _classify, classify_path

NAMES = ["LICENSE", "licence.md", "COPYING.LESSER", "MIT-LICENSE", "README.rst", "PATENTS", "x.gemspec",
         "Pkg.nuspec", "package.json", "DESCRIPTION", "description", "setup.py", "Cargo.toml", "pom.xml",
         "LICENSES/MIT.txt", "licenses/x.py", "src\\LICENSE", "docs/./COPYRIGHT", "index.js", "main.go",
         "src/licensing/rules.py", "Readme", "UNLICENSE", "copying.txt"]
ODD = ["\u0130", "\u0131", "\u017f", "\u212a"]  # İ ı ſ K: a case-insensitive pattern takes them for i i s k


def variants():
    for name in NAMES:
        yield name
        for i, ch in enumerate(name):
            if ch.lower() in "isk":
                for odd in ODD:
                    yield name[:i] + odd + name[i + 1:]


@pytest.mark.parametrize("path", list(variants()))
def test_fast_rejection_agrees_with_the_rules(path):
    assert classify_path(path) == _classify(path)


def test_roles():
    assert classify_path("LICENSE") == "license-file"
    assert classify_path("L\u0130CENSE") == "license-file"
    assert classify_path("src/app/main.py") == ""
    assert classify_path("package.json") == "manifest"
