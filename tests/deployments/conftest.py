"""Fixtures of the deployments tests."""

from __future__ import annotations

import pytest

from tests.deployments.helpers import make_good


@pytest.fixture
def registry(db):
    """Goods named as the DPGA registry names them; ODK under another name with "ODK" as its alias."""
    return {slug: make_good(slug, name, aliases) for slug, name, aliases in [
        ("dhis2", "DHIS2", []), ("commcare", "CommCare", []), ("openmrs", "OpenMRS", []),
        ("opensrp", "OpenSRP", []), ("rapidpro", "RapidPro", []), ("open-data-kit", "Open Data Kit", ["ODK"]),
        ("community-health-toolkit", "Community Health Toolkit", []), ("bahmni", "Bahmni", []),
    ]}
