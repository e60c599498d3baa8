"""Backup and restore of a whole installation: the database and the data directory, as one archive.

An archive is a ``.tar.gz`` holding:

- ``manifest.json``: the format, the DPG Hub version, the database engine, when it was made, the
  migrations applied, and for every table its row count and a SHA-256 over its rows in primary-key
  order (the *fingerprint*), plus the SHA-256 of every other member;
- the database: ``database.sqlite3`` (SQLite's online backup API: a consistent copy while the
  server runs) or ``database.pgdump`` (``pg_dump --format=custom``, one snapshot of the database);
- ``data/``: the data directory's own files (the generated secret key, the mail outbox), but not
  the database file, collected static files or earlier backups.

Restoring checks every checksum before anything is touched, refuses a database that already holds
data unless told to replace it, restores the database in one step (SQLite's backup API into the
live database; ``pg_restore --single-transaction``), puts the data files back, and then compares
every table's fingerprint with the manifest's. See docs/deployment.md, "Backup and restore".
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

FORMAT = "dpghub-backup/1"
_SKIPPED_DATA = {"static", "backups"}
_SQLITE_FILES = ("dpghub.sqlite3", "dpghub.sqlite3-wal", "dpghub.sqlite3-shm", "dpghub.sqlite3-journal")


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass
class RestoreResult:
    tables: int
    rows: int
    files: int


# --- the fingerprint of the database --------------------------------------------------------

def _tables() -> list[str]:
    with connection.cursor() as cursor:
        return sorted(t.name for t in connection.introspection.get_table_list(cursor) if t.type == "t"
                      and not t.name.startswith("sqlite_"))


def _order_by(cursor: Any, table: str) -> str:
    keys = connection.introspection.get_primary_key_columns(cursor, table) or []
    if not keys:
        keys = [c.name for c in connection.introspection.get_table_description(cursor, table)]
    return ", ".join(connection.ops.quote_name(k) for k in keys)


def database_fingerprint() -> dict[str, dict[str, Any]]:
    """{table: {"rows": n, "sha256": ...}} over every table, rows in primary-key order (bounded memory)."""
    out: dict[str, dict[str, Any]] = {}
    with connection.cursor() as cursor:
        for table in _tables():
            digest, count = hashlib.sha256(), 0
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY {_order_by(cursor, table)}")  # noqa: S608 (table names from introspection)
            while rows := cursor.fetchmany(2000):
                for row in rows:
                    digest.update(repr(tuple(_plain(v) for v in row)).encode("utf-8"))
                    count += 1
            out[table] = {"rows": count, "sha256": digest.hexdigest()}
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def _migrations() -> list[list[str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return [list(row) for row in cursor.fetchall()]


# --- the database, per engine ---------------------------------------------------------------

def _engine() -> str:
    return "sqlite" if connection.vendor == "sqlite" else "postgresql"


def _pg_env() -> tuple[str, dict[str, str]]:
    db = settings.DATABASES["default"]
    name = connection.settings_dict["NAME"]  # the test database's name in tests
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    parts = {"host": db.get("HOST") or "", "port": str(db.get("PORT") or ""), "user": db.get("USER") or "",
             "dbname": name}
    conninfo = " ".join(f"{k}={v}" for k, v in parts.items() if v)
    return conninfo, env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed: backups of PostgreSQL need the PostgreSQL client tools "
                          "(Debian: apt install postgresql-client, of the server's major version).")
    return path


def _database_dump(target: Path) -> None:
    connection.ensure_connection()
    if _engine() == "sqlite":
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
        return
    conninfo, env = _pg_env()
    result = subprocess.run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",  # noqa: S603
                             f"--file={target}", conninfo], env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")


def _database_restore(source: Path) -> None:
    connection.ensure_connection()
    if _engine() == "sqlite":
        snapshot = sqlite3.connect(source)
        try:
            snapshot.backup(connection.connection)
        finally:
            snapshot.close()
        return
    connection.close()  # no session of ours holds a lock on what pg_restore drops
    conninfo, env = _pg_env()
    result = subprocess.run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",  # noqa: S603
                             "--single-transaction", "--exit-on-error", f"--dbname={conninfo}", str(source)],
                            env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed, nothing was changed: {result.stderr.strip()}")


# --- the archive ----------------------------------------------------------------------------

def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _data_files(data_dir: Path) -> list[Path]:
    files = []
    for path in sorted(data_dir.rglob("*")):
        rel = path.relative_to(data_dir)
        if not path.is_file() or rel.parts[0] in _SKIPPED_DATA or rel.name in _SQLITE_FILES:
            continue
        files.append(path)
    return files


def backup_create(output: Path) -> dict[str, Any]:
    """Write a backup archive to ``output`` (made atomically: a failed backup leaves no archive)."""
    from dpghub import __version__

    output = Path(output)
    data_dir = Path(settings.DATA_DIR)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=output.parent) as work:
        work_dir = Path(work)
        db_name = "database.sqlite3" if _engine() == "sqlite" else "database.pgdump"
        _database_dump(work_dir / db_name)
        members = {db_name: _sha256_file(work_dir / db_name)}
        data = _data_files(data_dir)
        for path in data:
            members["data/" + path.relative_to(data_dir).as_posix()] = _sha256_file(path)
        manifest = {
            "format": FORMAT, "dpghub_version": __version__, "engine": _engine(),
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "migrations": _migrations(), "tables": database_fingerprint(), "members": members,
        }
        partial = work_dir / "archive.tar.gz"
        with tarfile.open(partial, "w:gz") as archive:
            body = json.dumps(manifest, indent=1, sort_keys=True).encode("utf-8")
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mtime, info.mode = len(body), int(datetime.now(UTC).timestamp()), 0o600
            archive.addfile(info, io.BytesIO(body))
            archive.add(work_dir / db_name, arcname=db_name)
            for path in data:
                archive.add(path, arcname="data/" + path.relative_to(data_dir).as_posix())
        partial.chmod(0o600)  # it holds the secret key and personal data
        os.replace(partial, output)
    return manifest


#: Tables that a freshly migrated database fills by itself: rows there are not anyone's data.
_FRAMEWORK_TABLES = {"django_migrations", "django_content_type", "auth_permission", "django_cache",
                     "catalog_standardversion"}


def _database_has_data() -> bool:
    with connection.cursor() as cursor:
        for table in _tables():
            if table in _FRAMEWORK_TABLES:
                continue
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")  # noqa: S608
            if cursor.fetchone():
                return True
    return False


def backup_restore(archive_path: Path, *, replace: bool = False) -> RestoreResult:
    """Restore an archive made by :func:`backup_create` into the configured database and data directory."""
    archive_path = Path(archive_path)
    if not archive_path.is_file():
        raise BackupError(f"{archive_path}: no such file")
    data_dir = Path(settings.DATA_DIR)
    with tempfile.TemporaryDirectory(dir=data_dir) as work:
        work_dir = Path(work)
        try:
            with tarfile.open(archive_path, "r:gz") as archive:
                archive.extractall(work_dir, filter="data")
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise BackupError(f"{archive_path}: not a readable backup archive ({exc})") from exc
        try:
            manifest = json.loads((work_dir / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise BackupError(f"{archive_path}: no readable manifest.json; not a DPG Hub backup") from exc
        if manifest.get("format") != FORMAT:
            raise BackupError(f"{archive_path}: format {manifest.get('format')!r}, expected {FORMAT!r}")
        for member, expected in manifest["members"].items():
            path = work_dir / member
            if not path.is_file() or _sha256_file(path) != expected:
                raise BackupError(f"{archive_path}: {member} is missing or damaged (checksum differs); nothing restored")
        if manifest["engine"] != _engine():
            raise BackupError(f"the backup is of a {manifest['engine']} database and this installation uses "
                              f"{_engine()}; restore it into a {manifest['engine']} installation")
        if not replace and _database_has_data():
            raise BackupError("the database already holds data: restoring would replace it. "
                              "Stop the server and workers, then run again with --replace.")
        db_name = "database.sqlite3" if manifest["engine"] == "sqlite" else "database.pgdump"
        _database_restore(work_dir / db_name)
        files = 0
        data_root = work_dir / "data"
        for member in manifest["members"]:
            if not member.startswith("data/"):
                continue
            target = data_dir / member.removeprefix("data/")
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(data_root / member.removeprefix("data/"), target)
            files += 1
    restored = database_fingerprint()
    differing = sorted(t for t, v in manifest["tables"].items() if restored.get(t) != v)
    if differing:
        raise BackupError("the restored database differs from the backup in: " + ", ".join(differing))
    return RestoreResult(tables=len(restored), rows=sum(v["rows"] for v in restored.values()), files=files)
