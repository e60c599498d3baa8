"""``dpghub screen`` through click's CliRunner: output forms and exit codes."""

from __future__ import annotations

import json

import jsonschema
import pytest
from click.testing import CliRunner

import dpghub.cli.screen  # noqa: F401 - registers the command
from dpghub.cli.main import cli
from dpghub.core.screening.report import load_schema
from tests.core.screening.helpers import MIT, make_repo


@pytest.fixture
def repo(tmp_path):
    return make_repo(tmp_path / "repo", {"LICENSE": MIT, "README.md": "# Tool\n\n## Install\n\npip install tool\n"})


def run(*args: str):
    return CliRunner().invoke(cli, ["screen", *args])


def test_json(repo):
    result = run(str(repo), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    jsonschema.Draft202012Validator(load_schema()).validate(data)
    assert data["source"] == str(repo) and data["licenses"]["root_expression"] == "MIT"


def test_markdown(repo):
    result = run(str(repo), "--markdown", "--category", "open data")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"# DPG screening of {repo}\n")
    assert "category Open Data" in result.stdout


def test_human_table(repo):
    result = CliRunner().invoke(cli, ["screen", str(repo)], env={"COLUMNS": "160"})  # no wrapped titles
    assert result.exit_code == 0
    assert "2 Use of approved open licences" in result.stdout and "Health signals" in result.stdout
    assert "9a Do no harm by design: data privacy and security" in result.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["--json", "--markdown"], "choose one of --json and --markdown"),
    (["--category", "Open Hardware"], "'Open Hardware' is not one of Open Software, Open Data"),
    (["--declared", "not a licence"], "'not a licence' is not a valid SPDX licence expression"),
    (["--workers", "2"], "--out, --workers and --retry-failed only apply to --batch"),
])
def test_bad_options_exit_2(repo, args, message):
    result = run(str(repo), *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_bad_sources_exit_2(tmp_path):
    assert run().exit_code == 2
    missing = run(str(tmp_path / "missing"))
    assert (missing.exit_code, missing.stderr) == (2, f"Error: no such directory: {tmp_path / 'missing'}\n")
    refused = run("ext::sh -c id")
    assert refused.exit_code == 2 and "refused source" in refused.stderr


def test_screening_failure_exits_1(repo, fake_git):
    result = run(f"file://{repo}", "--clone-timeout", "1")
    assert result.exit_code == 1
    assert result.stderr == f"Error: cloning file://{repo} took longer than 1s; stopped\n"


def test_batch(tmp_path, repo):
    listing = tmp_path / "list.txt"
    listing.write_text(f"# repositories\n{repo}\n{tmp_path / 'missing'}\n")
    out = tmp_path / "out.jsonl"
    result = run("--batch", str(listing), "--out", str(out), "--workers", "1")
    assert result.exit_code == 0, result.output
    assert "2 sources: 1 screened, 1 failed, 0 already in" in result.stderr
    assert [json.loads(line)["ok"] for line in out.read_text().splitlines()] == [True, False]
    assert run("--batch", str(listing)).exit_code == 2  # --out is required
    assert run("--batch", str(tmp_path / "nope.txt"), "--out", str(out)).exit_code == 2
