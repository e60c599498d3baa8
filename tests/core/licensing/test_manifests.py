from __future__ import annotations

import pytest

from dpghub.core.licensing import scan_file


def ev(path, text):
    return [(e.expression, e.kind, e.line, e.method) for e in scan_file(path, text) if e.confidence > 0]


@pytest.mark.parametrize(
    ("path", "text", "expected"),
    [
        ("package.json", '{\n  "name": "x",\n  "license": "MIT"\n}', [("MIT", "manifest", 3, "manifest-field")]),
        ("package.json", '{"license": "(MIT OR Apache-2.0)"}', [("MIT OR Apache-2.0", "manifest", 1, "manifest-field")]),
        ("package.json", '{"license": {"type": "ISC", "url": "x"}}', [("ISC", "manifest", 1, "manifest-field")]),
        ("package.json", '{"licenses": [{"type": "MIT"}, {"type": "Apache-2.0"}]}',
         [("MIT AND Apache-2.0", "manifest", 1, "manifest-field")]),
        ("pyproject.toml", '[project]\nname = "x"\nlicense = "AGPL-3.0-or-later"\n',
         [("AGPL-3.0-or-later", "manifest", 3, "manifest-field")]),
        ("pyproject.toml", '[project]\nlicense = {text = "BSD 3-Clause"}\n', [("BSD-3-Clause", "manifest", 2, "manifest-field")]),
        ("pyproject.toml", '[tool.poetry]\nlicense = "GPL-3.0-only"\n', [("GPL-3.0-only", "manifest", 2, "manifest-field")]),
        ("pyproject.toml",
         '[project]\nclassifiers = [\n  "License :: OSI Approved :: MIT License",\n]\n',
         [("MIT", "manifest", 3, "manifest-field")]),
        ("setup.cfg", "[metadata]\nname = x\nlicense = Apache 2\nclassifiers =\n    License :: OSI Approved :: Apache Software License\n",
         [("Apache-2.0", "manifest", 3, "manifest-field")]),
        ("setup.py", 'import os\nos.system("rm -rf /")\nsetup(\n    name="x",\n    license="MIT",\n)\n',
         [("MIT", "manifest", 5, "manifest-field")]),
        ("Cargo.toml", '[package]\nname = "x"\nlicense = "MIT/Apache-2.0"\n', [("MIT OR Apache-2.0", "manifest", 3, "manifest-field")]),
        ("composer.json", '{"license": ["LGPL-2.1-only", "GPL-3.0-or-later"]}',
         [("LGPL-2.1-only OR GPL-3.0-or-later", "manifest", 1, "manifest-field")]),
        ("x.gemspec", "Gem::Specification.new do |s|\n  s.name = 'x'\n  s.license = 'mit'\nend\n",
         [("MIT", "manifest", 3, "manifest-field")]),
        ("x.gemspec", "Gem::Specification.new do |s|\n  s.licenses = ['MIT', 'GPL-2.0']\nend\n",
         [("MIT AND GPL-2.0-only", "manifest", 2, "manifest-field")]),
        ("DESCRIPTION", "Package: x\nVersion: 1.0\nLicense: GPL (>= 2)\nImports: y\n", [("GPL-2.0-or-later", "manifest", 3, "manifest-field")]),
        ("DESCRIPTION", "Package: x\nLicense: MIT + file\n    LICENSE\n", [("MIT", "manifest", 2, "manifest-field")]),
        ("pom.xml",
         (
             '<?xml version="1.0"?>\n<project xmlns="http://maven.apache.org/POM/4.0.0">\n  <licenses>\n'
             "    <license>\n      <name>The Apache Software License, Version 2.0</name>\n    </license>\n"
             "  </licenses>\n</project>\n"
         ),
         [("Apache-2.0", "manifest", 3, "manifest-field")]),
        ("pom.xml",
         "<project><licenses><license><url>https://opensource.org/licenses/MIT</url></license></licenses></project>",
         [("MIT", "manifest", 1, "manifest-field")]),
        ("X.nuspec",
         '<package><metadata><id>X</id><license type="expression">Apache-2.0 OR MIT</license></metadata></package>',
         [("Apache-2.0 OR MIT", "manifest", 1, "manifest-field")]),
        ("bower.json", '{"name": "x", "license": "MIT"}', [("MIT", "manifest", 1, "manifest-field")]),
        ("package.json", '{"name": "no licence field"}', []),
    ],
)
def test_manifest_fields(path, text, expected):
    assert ev(path, text) == expected


@pytest.mark.parametrize(
    ("path", "text", "message"),
    [
        ("package.json", '{"license": "MIT",,}', "package.json is not valid JSON (line 1, column 19: Expecting property name"),
        ("composer.json", "[1, 2", "composer.json is not valid JSON"),
        ("pyproject.toml", "[project\nlicense = 'MIT'", "pyproject.toml is not valid TOML"),
        ("Cargo.toml", "license = = 'MIT'", "Cargo.toml is not valid TOML"),
        ("setup.cfg", "license = MIT\n[metadata", "setup.cfg is not a valid INI file"),
        ("pom.xml", "<project><licenses>", "pom.xml is not well-formed XML"),
        ("a/b/X.nuspec", "<package", "a/b/X.nuspec is not well-formed XML"),
        ("package.json", '["a list"]', "package.json: the top level is not a JSON object"),
        ("package.json", '{"license": 42}', "package.json: the 'license' field is a int, expected a string"),
        ("DESCRIPTION", "Package: x\nLicense:\n", "DESCRIPTION line 2: the License field is empty"),
    ],
)
def test_malformed_manifests_do_not_raise(path, text, message):
    result = scan_file(path, text)
    assert len(result) == 1
    e = result[0]
    assert (e.expression, e.kind, e.confidence, e.method) == ("NOASSERTION", "manifest", 0.0, "manifest-error")
    assert e.detail.startswith(message), e.detail
    assert e.detail.endswith("its licence field was not read")


def test_unmappable_manifest_value_says_why_and_where():
    result = scan_file("package.json", '{\n "license": "SEE LICENSE IN LICENSE.txt"\n}')
    assert [(e.expression, e.line, e.confidence) for e in result] == [("NOASSERTION", 2, 0.3)]
    assert result[0].detail == (
        "package.json, the 'license' field: 'SEE LICENSE IN LICENSE.txt' is not a licence id "
        "(it names none, or refers to a file)"
    )


def test_setup_py_is_never_executed(tmp_path, monkeypatch):
    marker = tmp_path / "ran"
    code = f"open({str(marker)!r}, 'w').write('x')\nsetup(license='MIT')\n"
    assert ev("setup.py", code) == [("MIT", "manifest", 2, "manifest-field")]
    assert not marker.exists()
