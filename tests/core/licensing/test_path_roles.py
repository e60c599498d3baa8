"""The role classify_path gives a path: licence text, manifest, README, or none.

Names spelt with the non-ASCII letters that case-insensitive matching folds to ASCII (İ ı ſ K) are
included: the quick rejection of ordinary paths must not drop them where the rules accept them.
"""

from __future__ import annotations

import pytest

from dpghub.core.licensing import classify_path, is_license_path

ROLES = {
    # licence texts, with any suffix or prefix
    "LICENSE": "license-file", "licence.md": "license-file", "COPYING.LESSER": "license-file",
    "MIT-LICENSE": "license-file", "PATENTS": "license-file", "UNLICENSE": "license-file",
    "copying.txt": "license-file", "src\\LICENSE": "license-file", "docs/./COPYRIGHT": "license-file",
    "LICENSES/MIT.txt": "license-file",  # the REUSE folder
    # manifests; DESCRIPTION only under R's exact name
    "x.gemspec": "manifest", "Pkg.nuspec": "manifest", "package.json": "manifest", "DESCRIPTION": "manifest",
    "setup.py": "manifest", "Cargo.toml": "manifest", "pom.xml": "manifest", "description": "",
    "README.rst": "readme", "Readme": "readme",
    # no role: code, even in a licence folder or under a licence-like name
    "licenses/x.py": "", "index.js": "", "main.go": "", "src/licensing/rules.py": "", "src/app/main.py": "",
    "node_modules/x/LICENSE": "",
    # İ and ı match i, ſ matches s, K (Kelvin sign) matches k
    "L\u0130CENSE": "license-file", "l\u0131cence.md": "license-file", "LICEN\u017fE": "license-file",
    "COPY\u0130NG.LESSER": "license-file", "MIT-L\u0131CENSE": "license-file", "docs/COPYR\u0130GHT": "license-file",
    "UNL\u0130CEN\u017fE": "license-file", "PATENT\u017f": "license-file", "README.r\u017ft": "readme",
    "pac\u212aage.json": "manifest",
    # ... and only those: ſ is not an i, K is not an s
    "L\u017fCENSE": "", "LICEN\u212aE": "",
}


@pytest.mark.parametrize(("path", "role"), list(ROLES.items()))
def test_role_of_a_path(path, role):
    assert classify_path(path) == role
    assert is_license_path(path) is (role != "")
