from pathlib import Path

from django.conf import settings

from tests.review.conftest import platform_roles, review_world  # noqa: F401 - fixtures of the review pages' tests

# WhiteNoise warns (an error in this suite) when STATIC_ROOT does not exist; collectstatic makes it
# in production, tests serve static files through the finders instead.
Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
