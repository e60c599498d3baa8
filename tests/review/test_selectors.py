"""Queues and backlog figures: what they hold, and a fixed number of queries whatever their size."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dpghub.catalog.models import Good
from dpghub.review import services
from dpghub.review.enums import ApplicationState as S
from dpghub.review.errors import ReviewPermissionDenied
from dpghub.review.selectors import _percentile, backlog_figures, review_queue
from tests.review.conftest import DAY0, bring_to


def _applications(world, n: int, state: S):
    start = Good.objects.count()
    for number in range(start, start + n):
        good = Good.objects.create(slug=f"good-{number}", name=f"Good {number}")
        bring_to(world, state, good=good)


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


def test_the_first_level_queue(review_world):
    _applications(review_world, 2, S.LEVEL_1)
    queue = review_queue(viewer=review_world.people["l1"], level=1, today=DAY0 + dt.timedelta(days=3))
    assert [(row["name"], row["waiting_days"], row["assignee"]) for row in queue] == [
        ("Good 1", 3, None), ("Good 2", 3, None)]
    # a reviewer who acts for the applying organisation does not see its applications
    assert review_queue(viewer=review_world.people["conflicted"], level=1, today=DAY0) == []
    with pytest.raises(ReviewPermissionDenied):
        review_queue(viewer=review_world.people["l2"], level=1, today=DAY0)


@pytest.mark.parametrize("level,state", [(1, S.LEVEL_1), (2, S.LEVEL_2), (3, S.CONSULTATION)])
def test_a_queue_runs_a_fixed_number_of_queries(review_world, level, state):
    viewer = review_world.people["secretariat"]
    _applications(review_world, 1, state)
    one = _queries(lambda: review_queue(viewer=viewer, level=level, today=DAY0))
    _applications(review_world, 2, state)
    assert len(review_queue(viewer=viewer, level=level, today=DAY0)) == 3
    three = _queries(lambda: review_queue(viewer=viewer, level=level, today=DAY0))
    assert one == three == 2  # the applications with their organisations and goods, then the assignees


def test_backlog_figures_run_a_fixed_number_of_queries(review_world):
    viewer = review_world.people["secretariat"]
    _applications(review_world, 1, S.LEVEL_2)
    _applications(review_world, 1, S.DPG)
    one = _queries(lambda: backlog_figures(viewer=viewer, today=DAY0, since=DAY0, detailed=True))
    _applications(review_world, 2, S.CLARIFICATION_1)
    _applications(review_world, 2, S.INELIGIBLE)
    three = _queries(lambda: backlog_figures(viewer=viewer, today=DAY0, since=DAY0, detailed=True))
    assert one == three == 4


def test_time_to_decision_leaves_out_the_time_waiting_for_clarifications(review_world):
    a = review_world.actors
    durations = []
    for number, (decide_after, paused) in enumerate([(10, 0), (20, 5), (40, 0), (90, 30)]):
        good = Good.objects.create(slug=f"timed-{number}", name=f"Timed {number}")
        application = bring_to(review_world, S.LEVEL_2, good=good)
        services.application_assign(actor=a["l2"], application=application, today=DAY0)
        if paused:
            services.clarification_request(actor=a["l2"], application=application, question="?", days=45, today=DAY0)
            services.clarification_answer(actor=a["member"], application=application, answer="!",
                                          today=DAY0 + dt.timedelta(days=paused))
        for code in application.answers:
            services.verdict_set(actor=a["l2"], application=application, indicator=code, verdict="pass", today=DAY0)
        services.application_decide(actor=a["l2"], application=application, outcome="dpg",
                                    today=DAY0 + dt.timedelta(days=decide_after))
        durations.append(decide_after - paused)
    assert durations == [10, 15, 40, 60]
    figures = backlog_figures(viewer=None, today=DAY0 + dt.timedelta(days=90), since=DAY0)
    assert (figures["decisions"], figures["days_to_decision_median"], figures["days_to_decision_p90"]) == (
        4, 27.5, 60.0)
    assert figures["states"]["dpg"] == 4
    assert "applications" not in figures


def test_the_percentile_is_nearest_rank():
    assert _percentile([], 0.9) is None
    assert _percentile([5], 0.9) == 5.0
    assert _percentile(list(range(1, 11)), 0.9) == 9.0
    assert _percentile(list(range(1, 12)), 0.9) == 10.0
