"""The good's page shows its automated screening, and staff can queue one without waiting for it."""

import datetime as dt
import re
import time

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone

from dpghub.catalog.models import Good, Repository
from dpghub.common.models import Activity, Job, JobStatus
from dpghub.screening.models import ScreeningRun, ScreeningStatus
from tests.catalogue import make_full_good, make_good
from tests.core.screening.helpers import make_repo
from tests.screening.reports import COMMIT, add_screening

pytestmark = pytest.mark.django_db


def _html(response) -> str:
    return response.content.decode()


def _section(html: str) -> str:
    return re.search(r'<section class="screening".*?</section>', html, re.DOTALL).group(0)


@pytest.fixture
def dhis2():
    return make_full_good()


@pytest.fixture
def screener(django_user_model):
    user = django_user_model.objects.create_user("screener", password="pw-screener")
    user.user_permissions.add(Permission.objects.get(codename="add_screeningrun"))
    return user


@pytest.fixture
def visitor(django_user_model):
    return django_user_model.objects.create_user("visitor", password="pw-visitor")


def test_latest_screening_with_licence_change_flag(client, dhis2):
    add_screening(dhis2, root="MIT", previous="", finished_at=timezone.make_aware(dt.datetime(2026, 10, 1, 9, 0)))
    add_screening(dhis2, root="GPL-3.0-only", previous="MIT")
    html = _html(client.get("/goods/dhis2/"))
    section = _section(html)
    # the flag, in the page header and in the section, as text (not colour only) and linked to the section
    flag = ('<strong>Licence changed:</strong> from MIT to GPL-3.0-only since the previous screening.')
    assert f'<p class="flag">{flag} <a href="#screening">See the automated screening</a></p>' in html
    assert f'<p class="flag">{flag}</p>' in section
    assert '<h2 id="screening">Automated screening</h2>' in section
    assert '<p class="notice automated"><strong>Automated screening, not a review.</strong>' in section
    assert '<h3 id="screening-run">Screening of Nov. 20, 2026</h3>' in section
    assert ('<dt>Ran</dt><dd><time datetime="2026-11-20T10:00:00+00:00">Nov. 20, 2026, 10 a.m. UTC</time></dd>'
            in section)
    assert (f'<dt>Commit</dt><dd><a href="https://github.com/dhis2/dhis2-core/commit/{COMMIT}" '
            f'rel="nofollow noopener"><code>{COMMIT[:12]}</code></a></dd>') in section
    assert ('<dt>Root licence</dt><dd><code>GPL-3.0-only</code> · <span class="approval approval-approved">'
            'Approved open licence for this category</span>') in section
    assert ("<li>COPYRIGHT.TXT: licence-like text that matches no known licence; not used for the root licence</li>"
            in section)
    assert ("<summary>Indicators: Met 2 · Likely met 2 · Not found 5 · Failed 1 · Needs a human 1</summary>"
            in section)
    codes = re.findall(r'<h4><span class="code">([0-9a-c]+)</span>', section)
    assert codes == ["1", "2", "3", "4", "5", "6", "7", "8", "9a", "9b", "9c"]
    assert '<p class="status screen-needs_human">Needs a human</p>' in section
    assert ('<p lang="en">The licence or notice names the copyright holder: Example Foundation.</p>' in section)
    # evidence: path:line linked to the file at the screened commit; URLs linked only when http(s)
    assert (f'<a href="https://github.com/dhis2/dhis2-core/blob/{COMMIT}/LICENSE#L3" rel="nofollow noopener">'
            '<code>LICENSE:3</code></a> <span class="from">Copyright (c) 2024 Example Foundation</span>') in section
    assert f'href="https://github.com/dhis2/dhis2-core/blob/{COMMIT}/docs/install%20guide.md"' in section
    assert '<a href="https://docs.dhis2.org/" rel="nofollow noopener"><code>https://docs.dhis2.org/</code></a>' in section
    assert "<li><code>javascript:alert(1)</code></li>" in section and 'href="javascript' not in html
    assert "<summary>Health signals: OK 1 · Warning 1 · Risk 1 · Unknown 1</summary>" in section
    assert ('<span class="signal-name">CI token permissions</span> <span class="signal signal-warning">Warning</span>'
            in section)
    assert (f'<a href="https://github.com/dhis2/dhis2-core/blob/{COMMIT}/.github/workflows/ci.yml#L1" '
            'rel="nofollow noopener"><code>.github/workflows/ci.yml:1</code></a>') in section
    assert section.count("<details") == 2 and "<details class=\"indicators-box\" open" not in section
    assert ('<a href="/api/v1/goods/dhis2/screening" type="application/json">screening (JSON)</a>' in section)
    assert "Screen this repository now" not in html  # anonymous


def test_no_flag_when_the_licence_did_not_change(client, dhis2):
    add_screening(dhis2, root="BSD-3-Clause", previous="BSD-3-Clause")
    html = _html(client.get("/goods/dhis2/"))
    assert 'class="flag"' not in html
    assert "<code>BSD-3-Clause</code> · " in _section(html)


def test_gitlab_links_and_no_links_elsewhere(client):
    good = make_good("gl", "On GitLab")
    add_screening(good, repository_url="https://gitlab.com/group/sub/project.git")
    section = _section(_html(client.get("/goods/gl/")))
    assert f'href="https://gitlab.com/group/sub/project/-/commit/{COMMIT}"' in section
    assert f'href="https://gitlab.com/group/sub/project/-/blob/{COMMIT}/LICENSE#L3"' in section
    other = make_good("elsewhere", "Elsewhere")
    add_screening(other, repository_url="https://git.example.org/project")
    section = _section(_html(client.get("/goods/elsewhere/")))
    assert f"<dt>Commit</dt><dd><code>{COMMIT[:12]}</code></dd>" in section
    assert "<code>LICENSE:3</code></li>" not in section and '<li><code>LICENSE:3</code> <span class="from">' in section


def test_failed_screening_shows_its_error_above_the_last_successful_report(client, dhis2):
    add_screening(dhis2, root="MIT", previous="")
    add_screening(dhis2, status=ScreeningStatus.FAILED, error="clone failed: repository not found",
                  finished_at=timezone.make_aware(dt.datetime(2026, 11, 21, 8, 30)))
    section = _section(_html(client.get("/goods/dhis2/")))
    assert ('<p><strong>The latest screening failed.</strong> <time datetime="2026-11-21T08:30:00+00:00">'
            'Nov. 21, 2026, 8:30 a.m. UTC</time></p>') in section
    assert "<p><code>clone failed: repository not found</code></p>" in section
    assert "<p>Below is the last successful screening.</p>" in section
    assert '<h3 id="screening-run">Screening of Nov. 20, 2026</h3>' in section


def test_failed_screening_alone(client, dhis2):
    add_screening(dhis2, status=ScreeningStatus.FAILED, error="only https:// repositories are screened")
    section = _section(_html(client.get("/goods/dhis2/")))
    assert "<p><code>only https:// repositories are screened</code></p>" in section
    assert "last successful" not in section and "screening-run" not in section


def test_queued_screening_says_it_is_queued(client, dhis2):
    add_screening(dhis2, status=ScreeningStatus.QUEUED)
    section = _section(_html(client.get("/goods/dhis2/")))
    assert '<p class="queued"><strong>Queued:</strong> a screening requested on ' in section
    assert "is waiting to run; its result will show here.</p>" in section
    assert "not been screened yet" not in section


def test_a_running_screening_and_one_whose_worker_died_say_so(client, dhis2):
    """Issue 18: the page tells the truth about the job behind a queued screening."""
    run = add_screening(dhis2, status=ScreeningStatus.QUEUED)
    job = Job.objects.create(kind="screening.screen_good", params={"screening_run_id": run.pk},
                             status=JobStatus.RUNNING, attempts=1, worker="host:1",
                             lease_expires_at=timezone.now() + dt.timedelta(minutes=1))
    ScreeningRun.objects.filter(pk=run.pk).update(job=job)
    section = _section(_html(client.get("/goods/dhis2/")))
    assert '<p class="queued"><strong>Running:</strong> a screening requested on ' in section
    assert "is running now; its result will show here.</p>" in section and "Queued:" not in section
    # the worker died unseen: its lease lapsed; the job is not running, whatever its row says
    Job.objects.filter(pk=job.pk).update(lease_expires_at=timezone.now() - dt.timedelta(seconds=1))
    section = _section(_html(client.get("/goods/dhis2/")))
    assert '<p class="queued"><strong>Retrying:</strong>' in section
    assert "was interrupted and will be tried again" in section and "Running:" not in section


def test_never_screened(client, dhis2):
    section = _section(_html(client.get("/goods/dhis2/")))
    assert '<p class="none">This good’s repository has not been screened yet.</p>' in section
    assert "screening (JSON)" not in section


def test_no_section_without_repository_or_screening(client):
    make_good("bare", "Bare")
    assert 'class="screening"' not in _html(client.get("/goods/bare/"))


def test_french_labels(client, dhis2):
    add_screening(dhis2, root="GPL-3.0-only", previous="MIT")
    html = _html(client.get("/goods/dhis2/", HTTP_ACCEPT_LANGUAGE="fr"))
    assert '<h2 id="screening">Analyse automatisée</h2>' in html
    assert "<strong>Licence modifiée :</strong> de MIT à GPL-3.0-only depuis l’analyse précédente." in html
    assert '<p class="status screen-needs_human">À examiner par une personne</p>' in html


def test_button_only_for_users_with_the_permission(client, dhis2, screener, visitor):
    button = '<button type="submit">Screen this repository now</button>'
    assert button not in _html(client.get("/goods/dhis2/"))
    client.force_login(visitor)
    assert button not in _html(client.get("/goods/dhis2/"))
    client.force_login(screener)
    html = _html(client.get("/goods/dhis2/"))
    form = re.search(r'<form class="screen-now" method="post" action="/goods/dhis2/screen/">(.*?)</form>', html,
                     re.DOTALL).group(1)
    assert 'name="csrfmiddlewaretoken"' in form and button in form


@pytest.fixture
def local_repo(tmp_path, settings):
    settings.DPGHUB_SCREENING_ALLOW_LOCAL = True
    path = make_repo(tmp_path / "project", {"README.md": "# Project\n"})
    good = make_good("local", "Local project")
    Repository.objects.create(good=good, url=f"file://{path}")
    return good


def test_screen_now_queues_a_job_and_returns_without_running_it(dhis2, local_repo, screener, monkeypatch):
    from dpghub.screening import jobs

    def must_not_run(*args, **kwargs):
        raise AssertionError("the screening ran inside the web request")

    monkeypatch.setattr(jobs, "screen", must_not_run)
    client = Client(enforce_csrf_checks=True)
    client.force_login(screener)
    page = _html(client.get("/goods/local/"))
    token = re.search(r'<form class="screen-now".*?name="csrfmiddlewaretoken" value="([^"]+)"', page, re.DOTALL).group(1)
    started = time.monotonic()
    response = client.post("/goods/local/screen/", {"csrfmiddlewaretoken": token})
    elapsed = time.monotonic() - started
    assert response.status_code == 302 and response["Location"] == "/goods/local/"
    assert elapsed < 1.0
    run = ScreeningRun.objects.get()
    assert (run.good.slug, run.status, run.job.status, run.requested_by) == (
        "local", ScreeningStatus.QUEUED, JobStatus.QUEUED, screener)
    html = _html(client.get("/goods/local/"))
    assert ('<p class="message message-success">Screening queued. It runs in the background; reload this page '
            "in a few minutes to see the report.</p>") in html
    assert '<p class="queued"><strong>Queued:</strong>' in html
    # a worker, not the request, runs it
    monkeypatch.undo()
    from dpghub.common.jobs import job_execute

    job_execute()
    run.refresh_from_db()
    assert run.status == ScreeningStatus.SUCCEEDED, run.error


def test_screen_now_needs_the_permission_and_creates_nothing(dhis2, visitor):
    client = Client()
    assert client.post("/goods/dhis2/screen/").status_code == 403  # anonymous
    client.force_login(visitor)
    response = client.post("/goods/dhis2/screen/")
    assert response.status_code == 403
    assert "You are not allowed to request a screening." in _html(response)
    assert (ScreeningRun.objects.count(), Job.objects.count(), Activity.objects.count()) == (0, 0, 0)


def test_screen_now_is_post_only_and_csrf_protected(dhis2, screener):
    client = Client(enforce_csrf_checks=True)
    client.force_login(screener)
    assert client.get("/goods/dhis2/screen/").status_code == 405
    assert client.post("/goods/dhis2/screen/").status_code == 403  # no CSRF token
    assert ScreeningRun.objects.count() == 0


def test_screen_now_without_repository_says_so(screener):
    make_good("bare", "Bare")
    client = Client()
    client.force_login(screener)
    response = client.post("/goods/bare/screen/", follow=True)
    assert response.redirect_chain == [("/goods/bare/", 302)]
    assert '<p class="message message-error">“bare” has no repository to screen.</p>' in _html(response)
    assert ScreeningRun.objects.count() == 0
    assert client.post("/goods/nope/screen/").status_code == 404


@pytest.mark.parametrize("with_screenings", [False, True])
def test_detail_page_query_count_with_screening_is_fixed(client, dhis2, django_assert_num_queries, with_screenings):
    if with_screenings:
        add_screening(dhis2, root="MIT", previous="")
        add_screening(dhis2, root="GPL-3.0-only", previous="MIT",
                      finished_at=timezone.make_aware(dt.datetime(2026, 11, 21)))
        add_screening(dhis2, status=ScreeningStatus.FAILED, error="x",
                      finished_at=timezone.make_aware(dt.datetime(2026, 11, 22)))
        add_screening(dhis2, status=ScreeningStatus.QUEUED)
    # the good and its nine relations (see test_pages), one query for the screenings, two for the history,
    # one for the Charter's pledges concerning the good, one for its deployments per country
    with django_assert_num_queries(15):
        html = _html(client.get("/goods/dhis2/"))
    assert ("Licence changed:" in html) is with_screenings
    assert Good.objects.count() == 1
