from __future__ import annotations

import pytest

from dpghub.core.licensing import CATEGORIES, approval

SW, DATA, CONTENT, AI = "Open Software", "Open Data", "Open Content", "Open AI Model"


@pytest.mark.parametrize(
    ("expression", "category", "verdict"),
    [
        # software: OSI approval from the SPDX licence list
        ("MIT", SW, "approved"),
        ("Apache-2.0", SW, "approved"),
        ("GPL-3.0-or-later", SW, "approved"),
        ("AGPL-3.0-only", SW, "approved"),
        ("MPL-2.0", SW, "approved"),
        ("EUPL-1.2", SW, "approved"),
        ("WTFPL", SW, "not-approved"),  # FSF-free but not OSI-approved
        ("CC-BY-4.0", SW, "not-approved"),
        ("CC0-1.0", SW, "not-approved"),
        ("CC-BY-NC-4.0", SW, "not-approved"),
        # content: Creative Commons BY / BY-SA / CC0, never NC, never ND
        ("CC-BY-4.0", CONTENT, "approved"),
        ("CC-BY-SA-4.0", CONTENT, "approved"),
        ("CC-BY-3.0", CONTENT, "approved"),
        ("CC0-1.0", CONTENT, "approved"),
        ("CC-BY-NC-4.0", CONTENT, "not-approved"),
        ("CC-BY-NC-SA-4.0", CONTENT, "not-approved"),
        ("CC-BY-ND-4.0", CONTENT, "not-approved"),
        ("CC-BY-NC-ND-4.0", CONTENT, "not-approved"),
        ("MIT", CONTENT, "not-approved"),
        ("GFDL-1.3-only", CONTENT, "not-approved"),
        # data: Open Data Commons / Open Definition conformant
        ("ODbL-1.0", DATA, "approved"),
        ("ODC-By-1.0", DATA, "approved"),
        ("PDDL-1.0", DATA, "approved"),
        ("CC-BY-4.0", DATA, "approved"),
        ("CC0-1.0", DATA, "approved"),
        ("OGL-UK-3.0", DATA, "approved"),
        ("CC-BY-3.0-AT", DATA, "approved"),
        ("CC-BY-NC-4.0", DATA, "not-approved"),
        ("CC-BY-ND-4.0", DATA, "not-approved"),
        ("MIT", DATA, "not-approved"),
        # AI models: OSI-approved or Open Definition conformant
        ("Apache-2.0", AI, "approved"),
        ("MIT", AI, "approved"),
        ("CC-BY-4.0", AI, "approved"),
        ("CC-BY-NC-4.0", AI, "not-approved"),
        ("CC-BY-ND-4.0", AI, "not-approved"),
        ("LicenseRef-scancode-bigscience-openrail-m", AI, "not-approved"),
        ("LicenseRef-llama-3-community", AI, "not-approved"),
        # expression rules
        ("MIT OR CC-BY-ND-4.0", SW, "approved"),  # OR: one approved branch is enough
        ("CC-BY-ND-4.0 OR CC-BY-NC-4.0", CONTENT, "not-approved"),
        ("MIT AND Apache-2.0", SW, "approved"),
        ("MIT AND CC-BY-NC-4.0", SW, "not-approved"),  # AND: all must be approved
        ("MIT AND LicenseRef-foo", SW, "unknown"),
        ("MIT OR LicenseRef-foo", SW, "approved"),
        ("CC-BY-NC-4.0 OR LicenseRef-foo", SW, "unknown"),
        ("GPL-2.0-only WITH Classpath-exception-2.0", SW, "approved"),  # WITH keeps the base verdict
        ("GPL-2.0-or-later WITH Classpath-exception-2.0", CONTENT, "not-approved"),
        # loose input is normalised first
        ("Apache 2", SW, "approved"),
        ("CC BY-SA 4.0", CONTENT, "approved"),
        ("GPL-3.0", SW, "approved"),
    ],
)
def test_approval_table(expression, category, verdict):
    result = approval(expression, category)
    assert result.verdict == verdict, result.reasons


@pytest.mark.parametrize("category", CATEGORIES)
@pytest.mark.parametrize(
    "expression",
    [
        "CC-BY-ND-4.0", "CC-BY-NC-ND-4.0", "CC-BY-ND-3.0",  # no-derivatives: never
        "NOASSERTION", "NONE", "LicenseRef-foo", "LicenseRef-scancode-proprietary-license",
        "not a licence at all", "", "GPL",
    ],
)
def test_never_approved(expression, category):
    assert approval(expression, category).verdict != "approved"


@pytest.mark.parametrize("expression", ["CC-BY-NC-4.0", "CC-BY-NC-SA-4.0", "CC-BY-NC-3.0", "CC-BY-NC-ND-4.0"])
def test_non_commercial_never_approved_for_software(expression):
    assert approval(expression, SW).verdict == "not-approved"


@pytest.mark.parametrize("expression", ["NOASSERTION", "LicenseRef-foo", "GPL", "nonsense"])
def test_unknown_licences_are_unknown(expression):
    assert approval(expression, SW).verdict == "unknown"


def test_reasons_name_each_licence():
    result = approval("MIT AND CC-BY-NC-4.0", SW)
    assert result.reasons == (
        "MIT: OSI-approved - approved for Open Software",
        "CC-BY-NC-4.0: a non-commercial licence - not an open licence for Open Software",
        "MIT AND CC-BY-NC-4.0: every licence in an AND must be approved",
    )
    assert approval("CC-BY-ND-4.0", CONTENT).reasons == (
        "CC-BY-ND-4.0: a no-derivatives licence - never an approved open licence",
    )
    assert approval("GPL", SW).reasons == (
        (
            "'GPL' is not a licence expression we can read: 'GPL' names a licence family without a version; "
            "the version is not guessed - needs a human review"
        ),
    )


@pytest.mark.parametrize("bad", ["open software", "Software", "Open Standard", ""])
def test_bad_category_raises_with_its_name(bad):
    with pytest.raises(ValueError) as exc:
        approval("MIT", bad)
    assert repr(bad) in str(exc.value)
    assert "Open Software" in str(exc.value)
