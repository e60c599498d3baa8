from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dpghub.core.licensing import normalize, normalize_detail


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the brief's examples
        ("GPL 3.0", "GPL-3.0-only"),
        ("Apache 2", "Apache-2.0"),
        ("MIT License", "MIT"),
        ("AGPLv3", "AGPL-3.0-only"),
        ("CC BY-SA 4.0", "CC-BY-SA-4.0"),
        ("ODbL", "ODbL-1.0"),
        ("GPL-3.0+", "GPL-3.0-or-later"),
        ("MIT OR Apache-2.0", "MIT OR Apache-2.0"),
        # SPDX ids: case, deprecated ids, WITH, LicenseRef
        ("mit", "MIT"),
        ("apache-2.0", "Apache-2.0"),
        ("GPL-2.0", "GPL-2.0-only"),
        ("LGPL-2.1+", "LGPL-2.1-or-later"),
        ("GPL-2.0-only WITH Classpath-exception-2.0", "GPL-2.0-only WITH Classpath-exception-2.0"),
        ("MIT AND (BSD-3-Clause OR GPL-2.0+)", "MIT AND (BSD-3-Clause OR GPL-2.0-or-later)"),
        ("LicenseRef-Proprietary", "LicenseRef-Proprietary"),
        ("  MIT  ", "MIT"),
        # names and loose forms
        ("GNU General Public License v3.0 or later", "GPL-3.0-or-later"),
        ("GNU General Public License v2.0 only", "GPL-2.0-only"),
        ("GNU Lesser General Public License v2.1 or later", "LGPL-2.1-or-later"),
        ("GNU Affero General Public License v3.0", "AGPL-3.0-only"),
        ("GPLv2+", "GPL-2.0-or-later"),
        ("GPL v3", "GPL-3.0-only"),
        ("LGPLv2.1", "LGPL-2.1-only"),
        ("Apache License, Version 2.0", "Apache-2.0"),
        ("Apache License 2.0 (Apache-2.0)", "Apache-2.0"),
        ("BSD-3", "BSD-3-Clause"),
        ("New BSD License", "BSD-3-Clause"),
        ('BSD 3-Clause "New" or "Revised" License', "BSD-3-Clause"),
        ("The Unlicense", "Unlicense"),
        ("ISC License", "ISC"),
        ("Mozilla Public License 2.0", "MPL-2.0"),
        ("Boost Software License 1.0", "BSL-1.0"),
        ("CC0", "CC0-1.0"),
        ("CC BY 4.0", "CC-BY-4.0"),
        ("Creative Commons Attribution 4.0 International", "CC-BY-4.0"),
        ("CC BY-NC-SA 4.0", "CC-BY-NC-SA-4.0"),
        ("CC-BY-NC-4.0", "CC-BY-NC-4.0"),
        ("ODC-By", "ODC-By-1.0"),
        # combinations in free text
        ("MIT/Apache-2.0", "MIT OR Apache-2.0"),
        ("MIT or Apache 2", "MIT OR Apache-2.0"),
        # R DESCRIPTION syntax
        ("GPL (>= 2)", "GPL-2.0-or-later"),
        ("MIT + file LICENSE", "MIT"),
        ("GPL-2 | GPL-3", "GPL-2.0-only OR GPL-3.0-only"),
        # trove classifiers and URLs
        ("License :: OSI Approved :: MIT License", "MIT"),
        ("https://opensource.org/licenses/MIT", "MIT"),
        ("http://www.apache.org/licenses/LICENSE-2.0", "Apache-2.0"),
        ("https://creativecommons.org/licenses/by-nc-nd/4.0/", "CC-BY-NC-ND-4.0"),
        ("https://creativecommons.org/publicdomain/zero/1.0/", "CC0-1.0"),
    ],
)
def test_normalize(text, expected):
    assert normalize(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "GPL",  # no version: never guessed (license-expression alone would say GPL-1.0-or-later)
        "LGPL",
        "Apache",
        "BSD",
        "CC-BY-SA",
        "License :: OSI Approved :: Apache Software License",  # the classifier has no version
        "NOASSERTION",
        "NONE",
        "public domain",
        "UNLICENSED",
        "SEE LICENSE IN LICENSE.txt",
        "file LICENSE",
        "",
        "   ",
        "my own licence",
        "foo-bar",
        "https://example.com/licence",
        "x" * 400,
    ],
)
def test_normalize_refuses(text):
    assert normalize(text) is None


def test_normalize_detail_explains_refusal():
    expr, why = normalize_detail("GPL")
    assert expr is None
    assert why == "'GPL' names a licence family without a version; the version is not guessed"
    expr, why = normalize_detail("MIT or FooBar")
    assert expr is None
    assert why == "in 'MIT or FooBar': 'FooBar' is not a licence we can map to an SPDX id"


def test_normalize_non_string():
    assert normalize(None) is None  # type: ignore[arg-type]
    assert normalize(3) is None  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120))
def test_normalize_never_raises(text):
    result = normalize(text)
    assert result is None or isinstance(result, str)
    if result is not None:  # whatever comes out is itself canonical
        assert normalize(result) == result
