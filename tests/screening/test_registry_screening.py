"""Screening a registered good: a background job, its stored report, the licence-change flag, permissions."""

import subprocess
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission, User

from dpghub.catalog.enums import Category
from dpghub.catalog.errors import CatalogError
from dpghub.catalog.models import Good, GoodLicense, Repository
from dpghub.common.errors import InvalidInput
from dpghub.common.history import Actor
from dpghub.common.jobs import worker_loop
from dpghub.common.models import Activity, Job, JobStatus
from dpghub.screening.errors import NoRepository, NotAllowed, RepositoryRefused
from dpghub.screening.models import ScreeningRun, ScreeningStatus
from dpghub.screening.selectors import screening_latest
from dpghub.screening.services import screening_request

MIT_TEXT = """MIT License

Copyright (c) 2024 Example Foundation

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
"""


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "core.hooksPath=/dev/null", *args], check=True,
                   capture_output=True)


def _commit_license(repo: Path, spdx: str, text: str) -> None:
    (repo / "LICENSE").write_text(text)
    (repo / "README.md").write_text(f"# Example\n\nLicensed under {spdx}.\n")
    _git(repo, "add", "-A")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", f"licence {spdx}")


@pytest.fixture
def repo(tmp_path):
    path = tmp_path / "project"
    path.mkdir()
    _git(path, "init", "-q")
    _commit_license(path, "MIT", MIT_TEXT)
    return path


@pytest.fixture
def good(repo):
    good = Good.objects.create(slug="example", name="Example", categories=[Category.SOFTWARE])
    Repository.objects.create(good=good, url=f"file://{repo}")
    GoodLicense.objects.create(good=good, expression="MIT")
    return good


@pytest.fixture
def screener(django_user_model):
    user = django_user_model.objects.create_user("screener", password="x")
    user.user_permissions.add(Permission.objects.get(codename="add_screeningrun"))
    return User.objects.get(pk=user.pk)  # fresh, so the permission cache is empty


def _run_jobs():
    return worker_loop(stop=threading.Event(), once=True)


@pytest.mark.django_db
def test_screening_runs_as_a_job_and_stores_the_report(settings, good, screener):
    settings.DPGHUB_SCREENING_ALLOW_LOCAL = True
    run = screening_request(actor=Actor.person(screener), good=good)
    assert (run.status, run.job.status) == (ScreeningStatus.QUEUED, JobStatus.QUEUED)
    assert screening_latest(good=good) is None  # nothing ran inside the request
    assert _run_jobs() == 1
    run.refresh_from_db()
    assert run.status == ScreeningStatus.SUCCEEDED, run.error
    assert run.root_license == "MIT"
    assert len(run.commit) == 40
    assert run.report["schema_version"] and run.report["licenses"]["root_expression"] == "MIT"
    assert {f["indicator"] for f in run.report["findings"]} >= {"1", "2", "3", "5", "9a", "9b", "9c"}
    assert run.license_changed is False
    assert screening_latest(good=good) == run
    assert list(Activity.objects.filter(target_id=str(run.pk)).values_list("action", flat=True).order_by("id")) == [
        "screening.run.request", "screening.run.finish"]


@pytest.mark.django_db
def test_a_licence_change_since_the_last_screening_is_flagged(settings, good, repo, screener):
    settings.DPGHUB_SCREENING_ALLOW_LOCAL = True
    screening_request(actor=Actor.person(screener), good=good)
    _run_jobs()
    apache = (Path(__file__).parents[2] / "src/dpghub/core/licensing/data")
    texts = [p for p in apache.rglob("*apache-2.0*")] + [p for p in apache.rglob("*Apache-2.0*")]
    assert texts, "the licence library ships the Apache-2.0 text"
    _commit_license(repo, "Apache-2.0", texts[0].read_text())
    second = screening_request(actor=Actor.person(screener), good=good)
    _run_jobs()
    second.refresh_from_db()
    assert second.root_license == "Apache-2.0"
    assert (second.previous_root_license, second.license_changed) == ("MIT", True)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["http://example.org/project.git", "git://example.org/project.git",
                                 "file:///srv/project", "/srv/project"])
def test_the_service_refuses_what_is_not_https_and_stores_nothing(screener, url):
    good = Good.objects.create(slug="plain", name="Plain")
    Repository.objects.create(good=good, url=url)
    with pytest.raises(RepositoryRefused) as refused:
        screening_request(actor=Actor.person(screener), good=good)
    assert isinstance(refused.value, InvalidInput) and not isinstance(refused.value, CatalogError)
    assert refused.value.message == f"Only https:// repositories are screened from the registry, not “{url}”."
    assert (ScreeningRun.objects.count(), Job.objects.count(), Activity.objects.count()) == (0, 0, 0)
    with pytest.raises(RepositoryRefused):  # an explicit URL is checked the same way
        screening_request(actor=Actor.person(screener), good=good, repository_url=url)
    assert ScreeningRun.objects.count() == 0


@pytest.mark.django_db
def test_a_run_queued_while_local_paths_were_allowed_fails_in_the_job(settings, good, screener):
    settings.DPGHUB_SCREENING_ALLOW_LOCAL = True
    run = screening_request(actor=Actor.person(screener), good=good)
    settings.DPGHUB_SCREENING_ALLOW_LOCAL = False
    _run_jobs()
    run.refresh_from_db()
    assert run.status == ScreeningStatus.FAILED
    assert run.error.startswith("Only https:// repositories are screened from the registry, not “file://")


@pytest.mark.django_db
def test_permission_is_checked_in_the_service(good, django_user_model):
    visitor = django_user_model.objects.create_user("visitor", password="x")
    with pytest.raises(NotAllowed):
        screening_request(actor=Actor.person(visitor), good=good)
    assert (ScreeningRun.objects.count(), Job.objects.count(), Activity.objects.count()) == (0, 0, 0)


@pytest.mark.django_db
def test_a_good_without_repository_cannot_be_screened(screener):
    bare = Good.objects.create(slug="bare", name="Bare")
    with pytest.raises(NoRepository):
        screening_request(actor=Actor.person(screener), good=bare)
    assert ScreeningRun.objects.count() == 0


@pytest.mark.django_db
def test_rescreen_command_queues_jobs(settings, good):
    settings.DPGHUB_SCREENING_ALLOW_LOCAL = True
    from click.testing import CliRunner

    from dpghub.cli.main import _register, cli

    _register()
    runner = CliRunner()
    result = runner.invoke(cli, ["rescreen", "example"])
    assert result.exit_code == 0, result.output
    assert "queued 1 screening(s)" in result.output
    assert ScreeningRun.objects.filter(good=good, status=ScreeningStatus.QUEUED).count() == 1
    result = runner.invoke(cli, ["rescreen", "--all", "--stale-days", "1"])
    assert "queued 0 screening(s)" in result.output  # requested just now: not stale
    result = runner.invoke(cli, ["rescreen", "nope"])
    assert result.exit_code == 1
    assert "no good with slug: nope" in result.output
    assert runner.invoke(cli, ["rescreen"]).exit_code == 2


@pytest.mark.django_db
def test_rescreen_reports_goods_it_cannot_queue_and_goes_on(settings, good):
    from click.testing import CliRunner

    from dpghub.cli.main import _register, cli

    settings.DPGHUB_SCREENING_ALLOW_LOCAL = False  # the fixture's file:// repository is refused
    plain = Good.objects.create(slug="plain", name="Plain")
    Repository.objects.create(good=plain, url="http://example.org/plain.git")
    _register()
    result = CliRunner().invoke(cli, ["rescreen", "--all"])
    assert result.exit_code == 0, result.output
    assert "queued 0 screening(s); 2 good(s) could not be queued" in result.output
    assert "plain: Only https:// repositories are screened from the registry" in result.output
    assert ScreeningRun.objects.count() == 0


@pytest.mark.django_db
def test_goods_due_for_a_screening(settings, good, screener):
    from dpghub.screening.selectors import screening_goods_by_slug, screening_goods_due

    settings.DPGHUB_SCREENING_ALLOW_LOCAL = True
    other = Good.objects.create(slug="another", name="Another")
    Repository.objects.create(good=other, url="https://example.org/another.git")
    Good.objects.create(slug="bare", name="Bare")  # no repository: never due
    assert [g.slug for g in screening_goods_due()] == ["another", "example"]
    run = screening_request(actor=Actor.person(screener), good=good)
    assert [g.slug for g in screening_goods_due(stale_days=1)] == ["another"]
    ScreeningRun.objects.filter(pk=run.pk).update(requested_at=run.requested_at - timedelta(days=2))
    assert [g.slug for g in screening_goods_due(stale_days=1)] == ["another", "example"]
    assert [g.slug for g in screening_goods_by_slug(slugs=["example", "nope", "bare"])] == ["bare", "example"]
