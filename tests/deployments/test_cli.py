"""``dpghub deployments import``: exit codes, row errors, the review lines and the dry run."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from dpghub.cli import commands, django_env  # noqa: F401 (commands registers every command)
from dpghub.cli.main import cli
from dpghub.deployments.models import Deployment
from tests.deployments.helpers import DATA


@pytest.fixture(autouse=True)
def _django_ready(monkeypatch):
    monkeypatch.setattr(django_env, "setup", lambda **kwargs: None)  # pytest-django already set Django up


def _run(*args):
    return CliRunner().invoke(cli, ["deployments", "import", *args])


def test_a_row_error_refuses_the_file(registry):
    result = _run("--format", "dha", str(DATA / "dha-excerpt.csv"))
    assert result.exit_code == 2
    assert "error: row 7: 1 cell(s) where the header has 24" in result.output
    assert "error: row 9: End Date: “Invalid Date” is not a date (dd/mm/yyyy)" in result.output
    assert Deployment.objects.count() == 0


def test_skip_invalid_dry_run_with_review_lines_and_report(registry, tmp_path):
    report = tmp_path / "report.json"
    result = _run("--format", "mapmatch", str(DATA / "mapmatch-excerpt.csv"), "--skip-invalid", "--dry-run",
                  "--report", str(report))
    assert result.exit_code == 0, result.output
    assert "fuzzy match, to review: “Open SRP” -> opensrp (score 100.0)" in result.output
    assert "unmatched: row 3: “Project Optimize” (no-similar-name; closest: rapidpro 41.7" in result.output
    assert result.output.rstrip().endswith("(dry run: nothing stored)")
    assert "mapmatch-excerpt.csv: 6 created, 0 updated, 0 unchanged" in result.output
    assert json.loads(report.read_text())["stats"]["created"] == 6
    assert Deployment.objects.count() == 0


def test_file_and_format_must_agree(registry):
    assert _run("--format", "registry", str(DATA / "cht.json")).exit_code == 2
    assert _run("--format", "guidebook").exit_code == 2
    assert _run("--format", "registry").exit_code == 0
