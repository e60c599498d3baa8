"""Helpers for the licence tests. Everything they read is in the repository (see tests/data/README.md)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2] / "data"
FIXTURES = DATA / "licensee-fixtures"
LABELS_PATH = DATA / "licensee-fixtures-labels.json"
# The choosealicense.com texts, as the product ships them (copied unchanged: see the README there).
CHOOSEALICENSE = resources.files("dpghub.core.licensing").joinpath("data", "texts")


def licence_body(key: str) -> str:
    """A choosealicense text without its front matter."""
    raw = CHOOSEALICENSE.joinpath(f"{key}.txt").read_text(encoding="utf-8")
    return raw.split("---\n", 2)[2]


@pytest.fixture(scope="session")
def body():
    return licence_body
