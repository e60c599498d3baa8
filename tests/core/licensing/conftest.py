"""Helpers for the licence tests. Tests may read ../shared beside the project (the product never does)."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "licenses"
CHOOSEALICENSE = SHARED / "choosealicense-texts"
FIXTURES = SHARED / "licensee-fixtures"


def licence_body(key: str) -> str:
    """A choosealicense text without its front matter."""
    raw = (CHOOSEALICENSE / f"{key}.txt").read_text(encoding="utf-8")
    return raw.split("---\n", 2)[2]


@pytest.fixture(scope="session")
def body():
    assert CHOOSEALICENSE.is_dir(), f"the shared licence texts must be beside the project: {CHOOSEALICENSE}"
    return licence_body
