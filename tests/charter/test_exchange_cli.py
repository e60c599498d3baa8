"""`dpghub charter import-pledges|import-reports|export|sample`: what a secretariat's script sees."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from dpghub.charter.models import Pledge, ProgressReport
from tests.charter.exchange_data import PLEDGES, REPORTS, goods_make


@pytest.fixture
def cli(cli, db):
    goods_make()
    return cli


def test_import_dry_run_then_import_then_export(cli, tmp_path):
    pledges, reports = tmp_path / "pledges.csv", tmp_path / "reports.csv"
    pledges.write_text(PLEDGES, encoding="utf-8")
    reports.write_text(REPORTS, encoding="utf-8")
    runner = CliRunner()
    dry = runner.invoke(cli, ["charter", "import-pledges", str(pledges), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert dry.output == ("Dry run, nothing was changed. Would apply: endorsements created: 2, organisations "
                          "created: 2, pledges created: 2, targets created: 3\n")
    assert Pledge.objects.count() == 0
    assert runner.invoke(cli, ["charter", "import-pledges", str(pledges)]).exit_code == 0
    done = runner.invoke(cli, ["charter", "import-reports", str(reports), "--json"])
    assert json.loads(done.output) == {"dry_run": False, "counts": {"reports created": 3}, "changed": []}
    exported = tmp_path / "out.csv"
    result = runner.invoke(cli, ["charter", "export", "--format", "csv", "-o", str(exported)])
    assert result.exit_code == 0, result.output
    assert exported.read_text(encoding="utf-8").splitlines()[1].startswith("P-1,Ministry of ICT,government,KE,")
    xml = runner.invoke(cli, ["charter", "export", "--format", "iati"])
    assert xml.exit_code == 0
    assert "<iati-identifier>DPGHUB-P-1</iati-identifier>" in xml.stdout


def test_row_errors_are_printed_and_exit_1(cli, tmp_path):
    pledges = tmp_path / "pledges.csv"
    pledges.write_text(PLEDGES.replace("finance,", "fund,", 1), encoding="utf-8")
    result = CliRunner().invoke(cli, ["charter", "import-pledges", str(pledges)])
    assert result.exit_code == 1
    assert "row 2, column types: “fund” is not one of the pledge types" in result.output
    assert "row 3, column types: Rows of pledge “P-1” disagree: row 2 says “fund”, this row “finance”." in result.output
    assert result.output.endswith("Error: 2 error(s); nothing was imported\n")
    assert Pledge.objects.count() == 0 and ProgressReport.objects.count() == 0


def test_sample_and_remove(cli):
    runner = CliRunner()
    created = runner.invoke(cli, ["charter", "sample", "--pledges", "15", "--seed", "4"])
    assert created.exit_code == 0, created.output
    assert Pledge.objects.filter(is_sample=True).count() == 15
    removed = runner.invoke(cli, ["charter", "sample", "--remove"])
    assert removed.output.startswith("sample data removed: endorsements: 12, organisations: 12, pledges: 15")
    assert Pledge.objects.count() == 0
