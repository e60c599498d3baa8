"""Import policy on small synthetic data: unseen registry records, failure policy, first start."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner

from dpghub.catalog.enums import Stage
from dpghub.catalog.models import (
    Contact,
    ExternalId,
    FacetEntry,
    Good,
    ImportRun,
    Provenance,
    StandardVersion,
)
from dpghub.catalog.services import importing
from dpghub.catalog.services.importing import GOOD_UID_NAMESPACE, ImportFailed, goods_import
from dpghub.catalog.services.standard import standard_versions_sync
from dpghub.common.models import Activity
from dpghub.core import standard
from tests.catalog.helpers import catalogue_dump
from tests.core.formats.test_dpga import registry_record

pytestmark = pytest.mark.django_db


def nominee(name: str, repo: str = "", stage: str = "nominee") -> dict:
    return {"name": name, "description": f"{name} does things", "website": "",
            "license": [{"spdx": "MIT", "licenseURL": "https://example.org/LICENSE"}],
            "SDGs": [{"SDGNumber": 4, "evidenceText": "education"}], "type": ["software"],
            "repositories": [{"name": "main", "url": repo}] if repo else [],
            "organizations": [{"name": f"{name} Org", "org_type": "owner", "contact_name": "Priv Person",
                               "contact_email": "priv@person.example"}],
            "stage": stage}


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    (root / "nominees").mkdir(parents=True)
    (root / "archive").mkdir()
    (root / "nominees" / "alpha-tool.json").write_text(json.dumps(nominee("Alpha Tool", "https://github.com/ex/alpha")))
    (root / "nominees" / "beta.json").write_text(json.dumps(nominee("Beta", stage="DPG")))
    (root / "archive" / "gamma.json").write_text(json.dumps(nominee("Gamma")))
    return root


def test_standard_versions_sync_is_idempotent():
    rows = standard_versions_sync()
    assert list(rows) == [v.version for v in standard.versions()]
    ids = sorted(StandardVersion.objects.values_list("id", flat=True))
    standard_versions_sync()
    assert sorted(StandardVersion.objects.values_list("id", flat=True)) == ids


def test_unseen_registry_record_merges_or_creates_without_code_changes(dataset, tmp_path):
    goods_import(paths=[dataset])
    registry = tmp_path / "registry-2027-01-02.json"
    registry.write_text(json.dumps([
        registry_record(id="777", dpgid="GID777", name="Alpha Tool (new name)",
                        repositories=[{"name": "x", "url": "https://www.github.com/EX/alpha/"}]),
        registry_record(),  # "Synthetic Registry Good", seen nowhere else
    ]))
    result = goods_import(paths=[registry])
    assert (result.goods_created, result.goods_updated) == (1, 1)
    alpha = ExternalId.objects.get(scheme="dpga-application", value="777").good
    assert alpha.name == "Alpha Tool (new name)" and alpha.stage == Stage.DPG  # newest source wins
    assert alpha.uid == uuid.uuid5(GOOD_UID_NAMESPACE, "legacy-slug:alpha-tool")
    assert sorted(alpha.provenances.values_list("source_key", flat=True)) == [
        "dpga-candidates:nominees/alpha-tool", "dpga-registry:777"]
    new = ExternalId.objects.get(scheme="dpga-application", value="90001").good
    assert new.uid == uuid.uuid5(GOOD_UID_NAMESPACE, "dpga-application:90001")
    assert (new.slug, new.stage, new.categories) == ("synthetic-registry-good", Stage.DPG, ["open-software"])
    assert sorted(new.countries.values_list("country", "role")) == [
        ("CI", "deployment"), ("GB", "deployment"), ("TZ", "development")]
    assert list(new.sdgs.values_list("sdg", flat=True)) == [4, 9]
    assert new.assessments.get().standard_version.version == standard.version_in_force(
        __import__("datetime").date(2027, 1, 2)).version
    assert set(FacetEntry.objects.filter(good=new, facet="stage").values_list("value", flat=True)) == {"dpg"}
    assert Contact.objects.filter(good=new, email="jane@private.example").count() == 1
    assert "jane@private.example" not in json.dumps(ImportRun.objects.get(id=result.run_id).report)
    # an older set imported again afterwards does not undo the newer data
    again = goods_import(paths=[dataset])
    alpha.refresh_from_db()
    assert alpha.stage == Stage.DPG and alpha.name == "Alpha Tool (new name)"
    assert again.goods_created == 0


def test_slugs_are_deduplicated_deterministically(tmp_path):
    (tmp_path / "nominees").mkdir()
    for stem in ("b-copy", "a-copy"):
        (tmp_path / "nominees" / f"{stem}.json").write_text(json.dumps(nominee("Same Name")))
    goods_import(paths=[tmp_path])
    slugs = dict(Good.objects.values_list("external_ids__value", "slug"))
    assert slugs == {"a-copy": "same-name", "b-copy": "same-name-2"}


def test_reimport_of_synthetic_data_changes_nothing(dataset):
    goods_import(paths=[dataset])
    before = catalogue_dump()
    result = goods_import(paths=[dataset])
    assert catalogue_dump() == before
    assert (result.goods_created, result.goods_updated, result.goods_unchanged) == (0, 0, 3)


def _break(dataset: Path) -> Path:
    bad = dataset / "nominees" / "broken.json"
    bad.write_text('{"name": "Broken", ')
    (dataset / "nominees" / "wrong-shape.json").write_text('{"hello": "world"}')
    (dataset / "archive" / "delta.json").write_text(json.dumps(nominee("Delta")))
    (dataset / "nominees" / "beta.json").write_text(json.dumps(nominee("Beta renamed", stage="DPG")))
    return bad


def test_malformed_file_stores_nothing_by_default(dataset):
    goods_import(paths=[dataset])
    before = catalogue_dump()
    runs, activities = ImportRun.objects.count(), Activity.objects.count()
    bad = _break(dataset)
    with pytest.raises(ImportFailed) as failure:
        goods_import(paths=[dataset])
    reasons = {Path(e["path"]).name: e["reason"] for e in failure.value.errors}
    assert reasons == {"broken.json": "not valid JSON (line 1, column 20: Expecting property name enclosed in double quotes)",
                       "wrong-shape.json": "not a DPGA record: neither a nominee, screening, review nor registry record"}
    assert str(bad) in str(failure.value)
    assert catalogue_dump() == before
    assert (ImportRun.objects.count(), Activity.objects.count()) == (runs, activities)


def test_skip_invalid_imports_the_rest_and_reports_each_skipped_file(dataset):
    goods_import(paths=[dataset])
    gamma_before = Good.objects.filter(name="Gamma").values().get()
    _break(dataset)
    result = goods_import(paths=[dataset], skip_invalid=True)
    assert sorted(Path(s["path"]).name for s in result.skipped) == ["broken.json", "wrong-shape.json"]
    assert (result.goods_created, result.goods_updated, result.goods_unchanged) == (1, 1, 2)
    assert sorted(Good.objects.values_list("name", flat=True)) == ["Alpha Tool", "Beta renamed", "Delta", "Gamma"]
    assert Good.objects.filter(name="Gamma").values().get() == gamma_before
    report = ImportRun.objects.get(id=result.run_id).report
    assert sorted(Path(e["source"]).name for e in report if e.get("kind") == "skipped-file") == [
        "broken.json", "wrong-shape.json"]


def test_an_error_while_writing_leaves_nothing_half_written(dataset, monkeypatch):
    goods_import(paths=[dataset])
    before = catalogue_dump()
    (dataset / "archive" / "delta.json").write_text(json.dumps(nominee("Delta")))

    def explode(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importing, "goods_reindex", explode)
    with pytest.raises(RuntimeError):
        goods_import(paths=[dataset])
    assert catalogue_dump() == before


def test_missing_path_is_reported():
    with pytest.raises(ImportFailed, match="no such file or folder"):
        goods_import(paths=["/nonexistent/dpga"])


def test_reviews_that_match_no_good_are_reported(tmp_path):
    (tmp_path / "reviews").mkdir()
    (tmp_path / "reviews" / "Nobody Knows_someone.json").write_text(json.dumps(
        {"license": {"answer": True, "comment": "", "confidence": 5}, "user": "someone", "timestamp": 1633978455}))
    result = goods_import(paths=[tmp_path])
    unmatched = [e for e in result.report if e.get("kind") == "review-unmatched"]
    assert len(unmatched) == 1 and "Nobody Knows" in unmatched[0]["detail"]
    assert "someone" not in json.dumps(result.report).replace("someone.json", "")
    assert not Provenance.objects.exists()


def test_shipped_data_load_if_empty(dataset, monkeypatch, settings):
    monkeypatch.setattr(importing, "SHIPPED_DATA_DIR", dataset)
    settings.CONFIG = {**settings.CONFIG, "LOAD_SHIPPED_DATA": False}
    assert importing.shipped_data_load_if_empty() is None
    assert not Good.objects.exists()
    settings.CONFIG = {**settings.CONFIG, "LOAD_SHIPPED_DATA": True}
    result = importing.shipped_data_load_if_empty()
    assert result is not None and result.goods_created == 3
    assert importing.shipped_data_load_if_empty() is None  # not empty any more


# --- CLI ----------------------------------------------------------------------------------------


def test_cli_import_bad_input_exits_2_naming_the_file(cli, dataset):
    bad = _break(dataset)
    result = CliRunner().invoke(cli, ["import", str(dataset)])
    assert result.exit_code == 2
    assert f"error: {bad}: not valid JSON" in result.output
    assert not Good.objects.exists()


def test_cli_import_refuses_a_name_that_is_not_text_and_reports_every_coercion(cli, tmp_path):
    typed = tmp_path / "typed" / "registry.json"
    typed.parent.mkdir()
    typed.write_text(json.dumps([registry_record(name=12345, sdgs="SDG3, SDG4")]))
    result = CliRunner().invoke(cli, ["import", str(typed.parent)])
    assert result.exit_code == 2
    assert f"error: {typed}: record 0: the name is int 12345, not text" in result.output
    assert not Good.objects.exists()
    # with a real name the record imports, its SDGs read from the text, and the report says so
    typed.write_text(json.dumps([registry_record(sdgs="SDG3, SDG4")]))
    report = tmp_path / "report.json"
    result = CliRunner().invoke(cli, ["import", str(typed.parent), "--report", str(report)])
    assert result.exit_code == 0, result.output
    assert "sdgs-from-text 1" in result.output
    good = Good.objects.get(name="Synthetic Registry Good")
    assert sorted(good.sdgs.values_list("sdg", flat=True)) == [3, 4]
    (entry,) = [e for e in json.loads(report.read_text())["report"] if e.get("source") == "dpga-registry:90001"]
    assert {"kind": "sdgs-from-text", "field": "sdgs", "detail": "'SDG3, SDG4' read as 2 SDG(s)", "count": 1} \
        in entry["repairs"]


def test_cli_import_and_export(cli, dataset, tmp_path):
    report = tmp_path / "report.json"
    result = CliRunner().invoke(cli, ["import", str(dataset), "--report", str(report)])
    assert result.exit_code == 0, result.output
    assert "Goods: 3 created, 0 updated, 0 unchanged." in result.output
    assert json.loads(report.read_text())["stats"]["goods_created"] == 3
    out = tmp_path / "goods.csv"
    result = CliRunner().invoke(cli, ["export", "--format", "csv", "--output", str(out)])
    assert result.exit_code == 0
    assert out.read_text().count("\n") == 4 and "priv@person.example" not in out.read_text()
    result = CliRunner().invoke(cli, ["export", "--format", "json", "--include-personal-data"])
    assert "warning: the export includes personal data" in result.output
    assert "priv@person.example" in result.output
    assert "--include-personal-data" in CliRunner().invoke(cli, ["export", "--help"]).output


def _registry_file(path: Path, count: int, start: int = 0, **overrides) -> Path:
    records = [registry_record(**{"id": str(100_000 + i), "dpgid": f"GIDT{i:06d}", "name": f"Registry good {i}",
                                  "repositories": [{"name": "main", "url": f"https://github.com/t/good-{i}"}],
                                  "website": f"https://good-{i}.example.org", **overrides})
               for i in range(start, start + count)]
    path.write_text(json.dumps(records, indent=1))
    return path


def test_a_bad_record_deep_in_a_large_file_stores_nothing(dataset, monkeypatch):
    """The reading pass streams and checks every file before the first write: a malformed record
    far into a registry file (past many buffers) fails the run with nothing written; with
    --skip-invalid only that file is left out."""
    monkeypatch.setattr("dpghub.core.formats.dpga.stream.CHUNK", 4096)
    goods_import(paths=[dataset])
    before = catalogue_dump()
    registry = _registry_file(dataset / "registry-2026-07-13.json", 60)
    records = json.loads(registry.read_text())
    records[57]["name"] = {"en": "not text"}
    registry.write_text(json.dumps(records, indent=1))
    _registry_file(dataset / "other-registry.json", 5, start=1000)
    with pytest.raises(ImportFailed) as failure:
        goods_import(paths=[dataset], batch_size=7)
    assert [(Path(e["path"]).name, e["reason"]) for e in failure.value.errors] == [
        ("registry-2026-07-13.json", 'record 57: the name is dict {"en": "not text"}, not text')]
    assert catalogue_dump() == before
    result = goods_import(paths=[dataset], batch_size=7, skip_invalid=True)
    assert (result.goods_created, result.goods_unchanged) == (5, 3)
    assert not Good.objects.filter(name="Registry good 0").exists()


def test_batches_write_every_good_once_and_match_across_files(dataset):
    """Goods are written a few at a time; a registry record still merges into the candidates good
    of another file (by repository), whichever batch either lands in."""
    _registry_file(dataset / "registry.json", 25, website="")
    merging = registry_record(id="555", dpgid="GID555", name="Alpha Tool (registry)",
                              repositories=[{"name": "main", "url": "https://github.com/ex/alpha"}])
    (dataset / "zz-registry.json").write_text(json.dumps([merging]))
    result = goods_import(paths=[dataset], batch_size=4)
    assert (result.records, result.goods_created) == (29, 28)
    alpha = ExternalId.objects.get(scheme="dpga-application", value="555").good
    assert set(alpha.external_ids.values_list("value", flat=True)) == {"alpha-tool", "555", "GID555"}
    assert Good.objects.count() == 28 and FacetEntry.objects.values("good_id").distinct().count() == 28
    again = goods_import(paths=[dataset], batch_size=4)
    assert (again.goods_created, again.goods_updated, again.goods_unchanged) == (0, 0, 28)


def test_the_report_is_capped_in_memory_and_whole_in_the_report_file(dataset, tmp_path, monkeypatch):
    monkeypatch.setattr(importing, "REPORT_LIMIT", 4)
    _registry_file(dataset / "registry.json", 12)
    report_file = tmp_path / "report.json"
    result = goods_import(paths=[dataset], report_file=report_file, batch_size=5)
    whole = json.loads(report_file.read_text())
    assert result.report_entries == len(whole["report"]) >= 12  # every registry record has repairs
    assert result.report == whole["report"][:4] == ImportRun.objects.get(id=result.run_id).report
    assert {e["source"] for e in whole["report"]} >= {f"dpga-registry:{100_000 + i}" for i in range(12)}
    # the counts cover the whole report, not the kept part
    repairs = sum(item.get("count", 1) for e in whole["report"] for item in e.get("repairs", ()))
    assert sum(result.stats["repairs"].values()) == repairs
    assert whole["stats"]["report_entries"] == result.report_entries
