"""`dpghub backup` and `dpghub restore`: a round trip gives back every table, row for row, on both databases."""

from __future__ import annotations

import io
import json
import tarfile

import pytest
from click.testing import CliRunner
from django.conf import settings

from dpghub.catalog.models import Good
from dpghub.common.backup import BackupError, backup_create, backup_restore, database_fingerprint
from dpghub.orgs.models import Organisation

# the backup tools read the database from another connection (pg_dump): the rows must be committed
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()
    (settings.DATA_DIR / "secret_key").write_text("a-secret")
    (settings.DATA_DIR / "mail").mkdir()
    (settings.DATA_DIR / "mail" / "0001.eml").write_text("Subject: hello\n\nbody")
    (settings.DATA_DIR / "static").mkdir()
    (settings.DATA_DIR / "static" / "site.css").write_text("body{}")  # collected static: not backed up
    return settings.DATA_DIR


def _content(world):
    Good.objects.create(name="Backup Good", slug="backup-good", stage="dpg")
    Organisation.objects.create(name="Ministère de l’Éducation", slug="men-fr", type="government", country="FR")


def test_a_round_trip_gives_back_every_table_and_the_data_files(world, data_dir, tmp_path):
    _content(world)
    before = database_fingerprint()
    assert before["catalog_good"]["rows"] == 1 and before["auth_user"]["rows"] >= 5
    archive = tmp_path / "out" / "backup.tar.gz"
    manifest = backup_create(archive)
    assert manifest["tables"] == before
    assert manifest["engine"] == ("sqlite" if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3") else "postgresql")
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    assert {"manifest.json", "data/secret_key", "data/mail/0001.eml"} <= names
    assert not any(name.startswith("data/static") for name in names)
    assert archive.stat().st_mode & 0o077 == 0  # it holds the secret key: readable by its owner only

    # lose things: rows in several tables, a data file
    Good.objects.all().delete()
    Organisation.objects.filter(slug="men-fr").delete()
    (data_dir / "mail" / "0001.eml").unlink()
    (data_dir / "secret_key").write_text("changed")
    assert database_fingerprint() != before

    with pytest.raises(BackupError, match="already holds data"):
        backup_restore(archive)
    result = backup_restore(archive, replace=True)
    assert database_fingerprint() == before
    assert result.tables == len(before) and result.files == 2
    assert (data_dir / "secret_key").read_text() == "a-secret"
    assert (data_dir / "mail" / "0001.eml").read_text().startswith("Subject: hello")
    assert Good.objects.get().name == "Backup Good"


def test_a_damaged_archive_is_refused_before_anything_changes(world, data_dir, tmp_path):
    _content(world)
    archive = tmp_path / "backup.tar.gz"
    backup_create(archive)
    Good.objects.create(name="Added later", slug="added-later", stage="dpg")
    after = database_fingerprint()
    # rewrite the archive with one member changed but the manifest kept
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            body = source.extractfile(member).read()
            if member.name == "data/secret_key":
                body = b"tampered"
                member.size = len(body)
            target.addfile(member, io.BytesIO(body))
    with pytest.raises(BackupError, match="data/secret_key is missing or damaged"):
        backup_restore(damaged, replace=True)
    (tmp_path / "junk.tar.gz").write_bytes(b"not an archive")
    with pytest.raises(BackupError, match="not a readable backup archive"):
        backup_restore(tmp_path / "junk.tar.gz", replace=True)
    assert database_fingerprint() == after
    assert (data_dir / "secret_key").read_text() == "a-secret"


def test_the_commands(world, data_dir, tmp_path, monkeypatch):
    from dpghub.cli import django_env
    from dpghub.cli.main import _register, cli

    monkeypatch.setattr(django_env, "setup", lambda **kwargs: None)  # pytest-django set Django up
    _register()
    _content(world)
    archive = tmp_path / "cli.tar.gz"
    result = CliRunner().invoke(cli, ["backup", "--output", str(archive)])
    assert result.exit_code == 0, result.output
    assert f"Backup written to {archive}" in result.output
    manifest = json.loads(tarfile.open(archive).extractfile("manifest.json").read())
    assert manifest["format"] == "dpghub-backup/1" and manifest["members"]
    result = CliRunner().invoke(cli, ["restore", str(archive)])
    assert result.exit_code == 1 and "already holds data" in result.output
    result = CliRunner().invoke(cli, ["restore", str(archive), "--replace"])
    assert result.exit_code == 0, result.output
    assert "every table matches the backup" in result.output
