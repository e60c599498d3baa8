from __future__ import annotations

from dpghub.core.licensing import LicenseEvidence, summarize


def E(expr, kind, path, conf=1.0, method="exact", line=1, detail=""):
    return LicenseEvidence(expr, kind, path, line, conf, method, detail or f"{path}: {expr}")


def test_root_licence_file_wins_and_conflicts_are_reported():
    s = summarize(
        [
            E("MIT", "manifest", "package.json", 0.9, "manifest-field"),
            E("Apache-2.0", "license-file", "LICENSE"),
            E("GPL-2.0-only", "license-file", "vendor/x/LICENSE"),
            E("MIT", "spdx-tag", "src/a.js", 0.95, "tag"),
        ],
        declared=["GPL 3.0"],
    )
    assert s.root_expression == "Apache-2.0"
    assert s.expressions == ("Apache-2.0", "MIT", "GPL-2.0-only")
    assert s.conflicts == (
        "package.json says MIT but the root licence file (LICENSE) contains Apache-2.0",
        "declared licence GPL-3.0-only but the repository root has Apache-2.0 (from LICENSE)",
    )
    # root first, then licence files, manifests, READMEs, tags
    assert [e.path for e in s.evidence] == ["LICENSE", "package.json", "vendor/x/LICENSE", "src/a.js"]


def test_manifest_then_readme_when_no_licence_file():
    s = summarize([E("ISC", "readme", "README.md", 0.8, "reference"), E("MIT", "manifest", "setup.py", 0.9)])
    assert s.root_expression == "MIT"
    s = summarize([E("ISC", "readme", "README.md", 0.8, "reference")])
    assert s.root_expression == "ISC"
    assert summarize([]).root_expression is None
    assert summarize([E("MIT", "license-file", "docs/LICENSE")]).root_expression is None


def test_several_root_licences_are_anded():
    s = summarize([E("MPL-2.0", "license-file", "LICENSE"), E("MIT", "license-file", "LICENSE.txt")])
    assert s.root_expression == "MIT AND MPL-2.0"
    assert s.conflicts == (
        (
            "several licences in the root licence files (LICENSE: MPL-2.0; LICENSE.txt: MIT); read as "
            "MIT AND MPL-2.0: each part must be an approved licence"
        ),
    )


def test_lgpl_ships_with_gpl_text():
    s = summarize([E("GPL-3.0-only", "license-file", "COPYING"), E("LGPL-3.0-only", "license-file", "COPYING.LESSER")])
    assert s.root_expression == "LGPL-3.0-only"
    assert s.conflicts == ()


def test_reuse_licenses_dir_is_root():
    s = summarize([E("MIT", "license-file", "LICENSES/MIT.txt"), E("CC0-1.0", "license-file", "LICENSES/CC0-1.0.txt")])
    assert s.root_expression == "CC0-1.0 AND MIT"


def test_noassertion_root():
    s = summarize(
        [
            E("BSD-3-Clause", "license-file", "LICENSE"),
            E("NOASSERTION", "license-file", "PATENTS", 0.5, "unknown", detail="PATENTS: licence-like text that matches no known licence (296 words)"),
        ],
        declared=["BSD-3-Clause"],
    )
    assert s.root_expression == "NOASSERTION"
    assert s.conflicts == (
        "PATENTS: licence-like text that matches no known licence (296 words) - the root licence cannot be asserted",
        "declared licence BSD-3-Clause but the root licence text is not a known licence (LICENSE, PATENTS)",
    )


def test_declared_checks():
    s = summarize([E("MIT", "license-file", "LICENSE")], declared=["MIT License", "GPL", "Expat"])
    assert s.conflicts == (
        "declared licence 'GPL' cannot be checked: 'GPL' names a licence family without a version; the version is not guessed",
    )
    s = summarize([], declared=["MIT"])
    assert s.conflicts == ("declared licence MIT but no licence was found at the repository root",)


def test_zero_confidence_evidence_is_kept_but_not_used():
    bad = E("NOASSERTION", "manifest", "package.json", 0.0, "manifest-error", detail="package.json is not valid JSON")
    s = summarize([bad, E("MIT", "license-file", "LICENSE")])
    assert s.root_expression == "MIT"
    assert s.expressions == ("MIT",)
    assert bad in s.evidence
