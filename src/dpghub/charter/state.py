"""State the Charter keeps for the grid's speed, maintained in the transaction of each write.

Two pieces (ARCHITECTURE.md, "Charter", "How the grid stays fast"):

- **Each target's state today**: ``Target.latest_on``, ``latest_value``, ``latest_status`` (its latest progress
  report) and ``verified_value`` (its latest verified report). Reports are never dated in the future and a
  report is verified at the moment of the write, so these columns are exactly the "latest report as of the
  date" of the grid's definitions for any date from today on. :func:`targets_refresh` recomputes them from
  the reports (set-based SQL, so a bulk import or the whole table costs one statement); every write of a
  report calls it for the report's target before its transaction commits. A past ``as_of`` never reads them:
  the grid then looks the reports up (exact whatever happened since).
- **The Charter stamp**: a counter raised by :func:`charter_changed` in the transaction of every write of an
  endorsement, pledge, target, report or rating. The grid cache's key includes it, so a cached grid is
  never served after a change: a reader reads the stamp first, then computes (or fetches) the grid of that
  stamp, and a write that commits in between only makes the cached grid newer than its key, never older.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, connection, transaction
from django.db.models import F

from dpghub.charter.enums import Verification
from dpghub.charter.models import GridStamp, ProgressReport, Target

_STAMP = "charter"


GRID_WARM_JOB = "charter.grid_warm"


def charter_changed() -> None:
    """Raise the Charter stamp (call inside the write's transaction); once it commits, a job computes the
    public grid again, so that the next visitor does not wait for it (charter/jobs.py)."""
    transaction.on_commit(grid_warm_request)
    if GridStamp.objects.filter(name=_STAMP).update(version=F("version") + 1):
        return
    try:
        with transaction.atomic():
            GridStamp.objects.create(name=_STAMP, version=1)
    except IntegrityError:  # created meanwhile by another writer
        GridStamp.objects.filter(name=_STAMP).update(version=F("version") + 1)


def grid_warm_request() -> None:
    """Queue the grid's warm-up unless one is already waiting (a burst of writes warms it once)."""
    from dpghub.common.jobs import job_enqueue
    from dpghub.common.models import Job, JobStatus

    if not Job.objects.filter(kind=GRID_WARM_JOB, status=JobStatus.QUEUED).exists():
        with transaction.atomic():
            job_enqueue(kind=GRID_WARM_JOB, params={}, max_attempts=1)


def charter_stamp() -> int:
    """The current Charter stamp (0 before the first write)."""
    return GridStamp.objects.filter(name=_STAMP).values_list("version", flat=True).first() or 0


def _refresh_sql(where: str) -> str:
    report, target = ProgressReport._meta.db_table, Target._meta.db_table
    latest = f"FROM {report} r WHERE r.target_id = {target}.id ORDER BY r.reported_on DESC LIMIT 1"
    verified = (f"FROM {report} r WHERE r.target_id = {target}.id AND r.verification = %s "
                f"ORDER BY r.reported_on DESC LIMIT 1")
    return f"""
UPDATE {target} SET
  latest_on = (SELECT r.reported_on {latest}),
  latest_value = (SELECT r.value {latest}),
  latest_status = COALESCE((SELECT r.status {latest}), ''),
  verified_value = (SELECT r.value {verified})
{where}"""


def _refresh_all_sql() -> list[str]:
    """Every target at once, whatever the planner knows: clear, then one ranked pass over the reports for the
    latest and one for the latest verified (``UPDATE ... FROM``: PostgreSQL, SQLite 3.33+)."""
    report, target = ProgressReport._meta.db_table, Target._meta.db_table
    ranked = (f"SELECT target_id, reported_on, value, status, ROW_NUMBER() OVER (PARTITION BY target_id "
              f"ORDER BY reported_on DESC) AS n FROM {report}")
    return [
        f"UPDATE {target} SET latest_on = NULL, latest_value = NULL, latest_status = '', verified_value = NULL",
        f"UPDATE {target} SET latest_on = s.reported_on, latest_value = s.value, latest_status = s.status "
        f"FROM ({ranked}) s WHERE s.target_id = {target}.id AND s.n = 1",
        f"UPDATE {target} SET verified_value = s.value FROM ({ranked} WHERE verification = %s) s "
        f"WHERE s.target_id = {target}.id AND s.n = 1",
    ]


def targets_refresh(target_ids: Iterable[int] | None = None) -> None:
    """Recompute the maintained state of the given targets (every target when ``None``) from their reports.

    Call inside the transaction that wrote the reports. Also raises the Charter stamp.
    """
    with connection.cursor() as cursor:
        if target_ids is None:
            clear, latest, verified = _refresh_all_sql()
            cursor.execute(clear)
            cursor.execute(latest)
            cursor.execute(verified, [Verification.VERIFIED.value])
        else:
            ids = sorted({int(pk) for pk in target_ids})
            for first in range(0, len(ids), 500):
                chunk = ids[first:first + 500]
                where = f"WHERE id IN ({', '.join(['%s'] * len(chunk))})"
                cursor.execute(_refresh_sql(where), [Verification.VERIFIED.value, *chunk])
    charter_changed()
