"""Evidence links are checked in the background: reachable, redirected, unreachable; no network is no error."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from dpghub.common.jobs import job_execute
from dpghub.common.models import Activity, Job
from dpghub.review import services
from dpghub.review.enums import ApplicationState as S
from dpghub.review.enums import LinkStatus
from dpghub.review.links import JOB_KIND, application_links_check, link_check
from dpghub.review.models import Application, EvidenceLink
from dpghub.review.selectors import application_view
from tests.review.conftest import ANSWERS, DAY0, bring_to


class _Handler(BaseHTTPRequestHandler):
    def _answer(self, with_body: bool) -> None:
        routes = {"/ok": (200, {}), "/moved": (301, {"Location": "/ok"}), "/gone": (404, {}),
                  "/loop": (302, {"Location": "/loop"}), "/to-gone": (302, {"Location": "/gone"})}
        if self.path == "/nohead" and self.command == "HEAD":
            status, headers = 405, {}
        elif self.path == "/nohead":
            status, headers = 200, {}
        else:
            status, headers = routes.get(self.path, (404, {}))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", "2")
        self.end_headers()
        if with_body:
            self.wfile.write(b"ok")

    def do_HEAD(self):
        self._answer(False)

    def do_GET(self):
        self._answer(True)

    def log_message(self, *args):
        pass


@pytest.fixture
def site(settings):
    settings.DPGHUB_LINK_CHECK_ALLOW_PRIVATE = True  # the test server is on this machine
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_each_kind_of_answer_is_told_apart(site):
    assert link_check(f"{site}/ok").status == LinkStatus.REACHABLE
    moved = link_check(f"{site}/moved")
    assert (moved.status, moved.final_url, moved.http_status) == (LinkStatus.REDIRECTED, f"{site}/ok", 200)
    gone = link_check(f"{site}/gone")
    assert (gone.status, gone.http_status, gone.detail) == (LinkStatus.UNREACHABLE, 404, "the server answered 404")
    assert link_check(f"{site}/to-gone").status == LinkStatus.UNREACHABLE
    assert link_check(f"{site}/loop").detail == "too many redirects"
    assert link_check(f"{site}/nohead").status == LinkStatus.REACHABLE  # HEAD refused: a small GET instead
    assert link_check("ftp://example.org/file").status == LinkStatus.UNREACHABLE


def test_addresses_inside_the_private_network_are_not_fetched(settings, site):
    settings.DPGHUB_LINK_CHECK_ALLOW_PRIVATE = False
    for url in (f"{site}/ok", "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/"):
        result = link_check(url)
        assert (result.status, result.detail) == (LinkStatus.NOT_CHECKED,
                                                  "the address is inside a private network; not fetched"), url


def _application(review_world, links: dict[str, list[str]]) -> Application:
    answers = {code: {**answer, "links": links.get(code, [])} for code, answer in ANSWERS.items()}
    application = bring_to(review_world, S.DRAFT)
    services.application_answers_update(actor=review_world.actors["member"], application=application,
                                        answers=answers, expected_version=application.version, today=DAY0)
    return Application.objects.get(pk=application.pk)


def test_submitting_queues_a_check_whose_warnings_the_applicant_and_reviewers_see_but_not_the_public(
        review_world, site):
    application = _application(review_world, {"1": [f"{site}/ok", f"{site}/moved"], "4": [f"{site}/gone"]})
    Job.objects.filter(kind=JOB_KIND).delete()  # the draft's own check; submitting queues another
    services.application_submit(actor=review_world.actors["member"], application=application, today=DAY0)
    job = Job.objects.get(kind=JOB_KIND)
    assert job.params == {"application": application.pk}
    job_execute(job.pk)
    assert Job.objects.get(pk=job.pk).status == "succeeded"
    stored = {(link.indicator, link.url): link.status for link in EvidenceLink.objects.all()}
    assert stored == {("1", f"{site}/ok"): "reachable", ("1", f"{site}/moved"): "redirected",
                      ("4", f"{site}/gone"): "unreachable"}
    application.refresh_from_db()
    mine = application_view(viewer=review_world.people["member"], application=application)
    warnings = [(link["url"], link["status_label"], link["detail"]) for link in mine["links"] if link["warning"]]
    assert warnings == [(f"{site}/moved", "Redirected", f"moved to {site}/ok"),
                        (f"{site}/gone", "Unreachable", "the server answered 404")]
    assert all(link["checked_at"] for link in mine["links"])
    assert application_view(viewer=review_world.people["secretariat"], application=application)["links"] == mine["links"]
    assert "links" not in application_view(viewer=review_world.people["outsider"], application=application)
    assert Activity.objects.filter(action="review.application.links_check", target_id=str(application.pk)).count() == 1


def test_no_network_is_never_an_error(review_world):
    # .invalid never resolves (RFC 2606): every link fails the way links fail on a machine with no network
    application = _application(review_world, {"1": ["https://one.invalid/a"], "2": ["https://two.invalid/b"]})
    result = application_links_check(application_id=application.pk)
    assert result == {"checked": 2, "not-checked": 2}
    assert set(EvidenceLink.objects.values_list("status", "detail")) == {("not-checked", "no network when checked")}
    view = application_view(viewer=review_world.people["member"], application=application)
    assert all(link["status_label"] == "Not checked" for link in view["links"])


def test_one_dead_domain_among_working_links_is_unreachable_and_a_removed_link_is_forgotten(review_world, site):
    application = _application(review_world, {"1": [f"{site}/ok"], "2": ["https://dead-domain.invalid/"]})
    application_links_check(application_id=application.pk)
    assert dict(EvidenceLink.objects.values_list("url", "status")) == {
        f"{site}/ok": "reachable", "https://dead-domain.invalid/": "unreachable"}
    services.application_answers_update(actor=review_world.actors["member"], application=application,
                                        answers={"2": {**ANSWERS["2"], "links": []}},
                                        expected_version=application.version, today=DAY0)
    application_links_check(application_id=application.pk)
    assert list(EvidenceLink.objects.values_list("url", flat=True)) == [f"{site}/ok"]


def test_saving_answers_without_changing_links_queues_no_check(review_world, site):
    application = _application(review_world, {"1": [f"{site}/ok"]})
    before = Job.objects.filter(kind=JOB_KIND).count()
    services.application_answers_update(actor=review_world.actors["member"], application=application,
                                        answers={"1": {**ANSWERS["1"], "text": "new words", "links": [f"{site}/ok"]}},
                                        expected_version=application.version, today=DAY0)
    assert Job.objects.filter(kind=JOB_KIND).count() == before
