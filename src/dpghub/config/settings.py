"""Django settings, built from the declared options in :mod:`dpghub.config.options`."""

from __future__ import annotations

import secrets
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.utils.translation import gettext_lazy as _

from dpghub.config import options

CONFIG = options.load()
DATA_DIR: Path = options.data_dir(CONFIG)
DATA_DIR.mkdir(parents=True, exist_ok=True)
BASE_DIR = Path(__file__).resolve().parent.parent


def _secret_key() -> str:
    if CONFIG["SECRET_KEY"]:
        return CONFIG["SECRET_KEY"]
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _database() -> dict:
    url = CONFIG["DATABASE_URL"]
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "dpghub.sqlite3",
            "OPTIONS": {
                # WAL lets readers proceed while the importer or a job writes; IMMEDIATE avoids
                # "database is locked" upgrades inside write transactions.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
                "transaction_mode": "IMMEDIATE",
            },
            "TEST": {"NAME": None},
        }
    parsed = urlparse(url)
    if parsed.scheme not in {"postgres", "postgresql"}:
        raise options.ConfigError(f"DPGHUB_DATABASE_URL: unsupported scheme {parsed.scheme!r}; use postgresql://")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parsed.path.lstrip("/")) or "dpghub",
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": parsed.hostname or "",
        "PORT": str(parsed.port or ""),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }


SECRET_KEY = _secret_key()
DEBUG = CONFIG["DEBUG"]
ALLOWED_HOSTS = CONFIG["ALLOWED_HOSTS"] + (["testserver"] if DEBUG else [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "dpghub.common",
    "dpghub.catalog",
    "dpghub.screening",
    "dpghub.orgs",
    "dpghub.tokens",
    "dpghub.notifications",
    "dpghub.charter",
    "dpghub.deployments",
    "dpghub.review",
    "dpghub.web",
    "dpghub.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "dpghub.web.errors.DomainErrorMiddleware",  # domain errors -> pages (the API maps its own)
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "dpghub.config.urls"
WSGI_APPLICATION = "dpghub.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "dpghub.web.context.people",
            ],
        },
    }
]

DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache shared by every web worker process (rate limits must not be per process). The table is
# created by `dpghub` commands after migrating (cli.django_env.setup) and by the test fixtures.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "dpghub_cache",
        # Culling drops a third of the entries; keep it rare so live rate-limit slots survive.
        "OPTIONS": {"MAX_ENTRIES": 50_000},
    }
}

LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:goods-list"
LOGOUT_REDIRECT_URL = "web:goods-list"

LANGUAGE_CODE = CONFIG["LANGUAGE_CODE"]
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Security: secure by default, relaxed only where plain-HTTP local use needs it.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = CONFIG["SECURE_COOKIES"]
CSRF_COOKIE_SECURE = CONFIG["SECURE_COOKIES"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"dpghub": {"level": "INFO"}},
}

# Jobs (see dpghub.common.jobs and docs/adr/0003-jobs.md)
DPGHUB_JOB_BACKEND = CONFIG["JOB_BACKEND"]
CELERY_BROKER_URL = CONFIG["BROKER_URL"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1

DPGHUB_SCREENING_ALLOW_LOCAL = CONFIG["SCREENING_ALLOW_LOCAL"]
DPGHUB_DEPLOYMENTS_STALE_DAYS = CONFIG["DEPLOYMENTS_STALE_DAYS"]
DPGHUB_DEPLOYMENTS_MATCH_THRESHOLD = CONFIG["DEPLOYMENTS_MATCH_THRESHOLD"]
DPGHUB_REVIEW_RECOGNITION_DAYS = CONFIG["REVIEW_RECOGNITION_DAYS"]
DPGHUB_REVIEW_RENEWAL_DAYS = CONFIG["REVIEW_RENEWAL_DAYS"]
DPGHUB_REVIEW_ARCHIVE_DAYS = CONFIG["REVIEW_ARCHIVE_DAYS"]
DPGHUB_REVIEW_ARCHIVE_NOTICE_DAYS = CONFIG["REVIEW_ARCHIVE_NOTICE_DAYS"]
DPGHUB_REVIEW_REMINDER_DAYS = CONFIG["REVIEW_REMINDER_DAYS"]
DPGHUB_PAGE_SIZE = CONFIG["PAGE_SIZE"]
DPGHUB_LOGIN_RATE = CONFIG["LOGIN_RATE"]
DPGHUB_SITE_URL = CONFIG["SITE_URL"]
DPGHUB_TRUSTED_PROXIES = CONFIG["TRUSTED_PROXIES"]
DPGHUB_WRITE_API_RATE = CONFIG["WRITE_API_RATE"]
DPGHUB_API_AUTH_FAILURE_RATE = CONFIG["API_AUTH_FAILURE_RATE"]
DPGHUB_CHARTER_REPORTING_PERIOD_DAYS = CONFIG["CHARTER_REPORTING_PERIOD_DAYS"]
DPGHUB_CHARTER_REMINDER_DAYS = CONFIG["CHARTER_REMINDER_DAYS"]
