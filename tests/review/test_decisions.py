"""The decision log in the database, its download, and `dpghub decisions export|verify`."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from dpghub.catalog.models import Good
from dpghub.review.decisions import GENESIS, decision_log_lines
from dpghub.review.enums import ApplicationState as S
from dpghub.review.models import DecisionLogEntry
from tests.review.conftest import bring_to


def test_each_decision_is_chained_to_the_one_before(review_world):
    first = bring_to(review_world, S.DPG)
    other = Good.objects.create(slug="other-good", name="Other good")
    second = bring_to(review_world, S.INELIGIBLE, good=other)
    entries = list(DecisionLogEntry.objects.order_by("seq"))
    assert [(e.seq, e.payload["application"], e.payload["outcome"]) for e in entries] == [
        (1, first.pk, "dpg"), (2, second.pk, "ineligible")]
    assert entries[0].prev_hash == GENESIS and entries[1].prev_hash == entries[0].hash
    assert sorted(entries[0].payload) == ["application", "automatic", "decided_on", "expires_on", "good", "name",
                                          "organisation", "outcome", "reasons", "recognised_on", "renews",
                                          "standard_version"]


def test_the_download_verifies_and_a_tampered_copy_does_not(review_world, tmp_path, cli):
    bring_to(review_world, S.DPG)
    runner = CliRunner()
    exported = runner.invoke(cli, ["decisions", "export"])
    assert exported.exit_code == 0
    assert exported.output == "".join(decision_log_lines())
    copy = tmp_path / "decisions.jsonl"
    copy.write_text(exported.output, encoding="utf-8")
    verified = runner.invoke(cli, ["decisions", "verify", str(copy)])
    assert (verified.exit_code, verified.output) == (0, "ok: 1 entries, the chain is intact\n")
    entry = json.loads(exported.output)
    entry["payload"]["outcome"] = "ineligible"
    copy.write_text(json.dumps(entry) + "\n", encoding="utf-8")
    tampered = runner.invoke(cli, ["decisions", "verify", str(copy)])
    assert tampered.exit_code == 1
    assert "line 1: the hash does not match the entry's content" in tampered.output


def test_review_tick_from_the_command_line(review_world, cli):
    application = bring_to(review_world, S.DRAFT)
    result = CliRunner().invoke(cli, ["review", "tick", "--today", "2026-03-22"])
    assert result.exit_code == 0, result.output
    assert result.output == ("reminded=0 lapsed=0 renewals_opened=0 expired=0 archive_notices=1 archived=0\n")
    application.refresh_from_db()
    assert application.archive_notice_on.isoformat() == "2026-03-22"
    bad = CliRunner().invoke(cli, ["review", "tick", "--today", "22/03/2026"])
    assert bad.exit_code == 2


@pytest.mark.django_db(transaction=True)
def test_decisions_at_the_same_moment_each_take_their_own_place_in_the_chain():
    """Two appenders in parallel transactions (PostgreSQL: real concurrency; SQLite serialises writers)."""
    import threading

    from django.db import connection, connections, transaction

    from dpghub.review.decisions import decision_log_append, decision_log_verify_lines

    if connection.vendor != "postgresql":
        pytest.skip("parallel transactions need PostgreSQL")
    barrier, errors = threading.Barrier(4), []

    def append(n: int) -> None:
        try:
            barrier.wait(timeout=10)
            with transaction.atomic():
                decision_log_append(payload={"application": n})
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=append, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert list(DecisionLogEntry.objects.order_by("seq").values_list("seq", flat=True)) == [1, 2, 3, 4]
    assert decision_log_verify_lines(decision_log_lines()).entries == 4
