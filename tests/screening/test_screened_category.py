"""The screening job screens a good for its first category still assessed (dpghub.core.standard)."""

import subprocess
import threading

import pytest
from django.contrib.auth.models import Permission

from dpghub.catalog.enums import Category
from dpghub.catalog.models import Good, Repository
from dpghub.common.history import Actor
from dpghub.common.jobs import worker_loop
from dpghub.screening.models import ScreeningStatus
from dpghub.screening.services import screening_request


@pytest.mark.django_db
@pytest.mark.parametrize(("categories", "screened_as"), [
    ([Category.STANDARD, Category.DATA], "Open Data"),  # open standards are no longer assessed
    ([Category.AI_MODEL, Category.SOFTWARE], "Open AI Model"),
    ([Category.STANDARD], "Open Software"),
    ([], "Open Software"),
])
def test_the_job_screens_for_the_goods_first_assessed_category(settings, tmp_path, django_user_model,
                                                                categories, screened_as):
    settings.DPGHUB_SCREENING_ALLOW_LOCAL = True
    (tmp_path / "README.md").write_text("# Example\n")
    git = ["git", "-C", str(tmp_path), "-c", "core.hooksPath=/dev/null", "-c", "user.name=t",
           "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "start"], check=True)
    good = Good.objects.create(slug="example", name="Example", categories=categories)
    Repository.objects.create(good=good, url=f"file://{tmp_path}")
    user = django_user_model.objects.create_user("screener", password="x")
    user.user_permissions.add(Permission.objects.get(codename="add_screeningrun"))
    run = screening_request(actor=Actor.person(django_user_model.objects.get(pk=user.pk)), good=good)
    assert worker_loop(stop=threading.Event(), once=True) == 1
    run.refresh_from_db()
    assert (run.status, run.report["category"]) == (ScreeningStatus.SUCCEEDED, screened_as)
