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
    "dpghub.accounts",
    "dpghub.web",
    "dpghub.api",
    # after dpghub.web, whose templates override allauth's (templates/allauth, account, mfa)
    "allauth",
    "allauth.account",
    "allauth.mfa",
]

MIDDLEWARE = [
    # outermost: a visitor who is not signed in is answered from memory, already compressed (ADR 0013)
    "dpghub.web.pagecache.AnonymousPageCacheMiddleware",
    # then: compresses the final response of anonymous requests only (BREACH; docs/adr/0016-compression-and-static-files.md)
    "dpghub.common.compression.PublicGZipMiddleware",
    # before the rest, so that whatever answers a request under /api/ (a 405, a CSRF refusal) keeps the API's error shape
    "dpghub.api.middleware.ApiErrorShapeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "dpghub.api.cors.PublicReadCorsMiddleware",  # Access-Control-Allow-Origin: * on public API reads
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "dpghub.web.errors.DomainErrorMiddleware",  # domain errors -> pages (the API maps its own)
    "allauth.account.middleware.AccountMiddleware",
    # people whose role requires two-factor authentication set it up before anything else
    "dpghub.web.middleware.TwoFactorRequiredMiddleware",
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
                "dpghub.web.context.site",
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

# People (docs/accounts.md): Django's own User, identified by e-mail through django-allauth; the user
# name is filled automatically and never shown. Two-factor: allauth's TOTP and recovery codes.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
ACCOUNT_ADAPTER = "dpghub.web.allauth_hooks.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "dpghub.web.allauth_hooks.SignupForm"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False  # the link opens a page with a button: a mail scanner cannot confirm
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True  # one address per person, changed (and verified again) rather than added
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = None  # the sign-in form asks
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[DPG Hub] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if CONFIG["SECURE_COOKIES"] else "http"
# allauth's own limits (per address "ip", per account "user", per e-mail "key"); sign-in attempts are
# also limited per client address by DPGHUB_LOGIN_RATE (dpghub.web.accounts.LoginView).
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",  # wrong passwords, and wrong two-factor codes per person
    "signup": "20/h/ip",
    "reset_password": "20/h/ip,5/h/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
    "confirm_email": "1/3m/key",
}
ALLAUTH_TRUSTED_PROXY_COUNT = CONFIG["TRUSTED_PROXIES"]
DPGHUB_SIGNUP_OPEN = CONFIG["SIGNUP_OPEN"]
MFA_ADAPTER = "dpghub.accounts.mfa.MfaAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "DPG Hub"
MFA_RECOVERY_CODE_COUNT = 10

# E-mail (dpghub.common.mail): written to DATA_DIR/mail by default, SMTP or the console on demand.
if CONFIG["EMAIL_BACKEND"] not in {"file", "smtp", "console"}:
    raise options.ConfigError(f"DPGHUB_EMAIL_BACKEND: {CONFIG['EMAIL_BACKEND']!r} is not file, smtp or console")
if CONFIG["SMTP_SSL"] and CONFIG["SMTP_STARTTLS"] and CONFIG["EMAIL_BACKEND"] == "smtp":
    raise options.ConfigError("DPGHUB_SMTP_SSL and DPGHUB_SMTP_STARTTLS exclude each other; set one to false")
EMAIL_BACKEND = {
    "file": "dpghub.common.mail.OutboxBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
}[CONFIG["EMAIL_BACKEND"]]
DPGHUB_MAIL_DIR = DATA_DIR / "mail"
DEFAULT_FROM_EMAIL = CONFIG["EMAIL_FROM"]
SERVER_EMAIL = CONFIG["EMAIL_FROM"]
EMAIL_HOST = CONFIG["SMTP_HOST"]
EMAIL_PORT = CONFIG["SMTP_PORT"]
EMAIL_HOST_USER = CONFIG["SMTP_USER"]
EMAIL_HOST_PASSWORD = CONFIG["SMTP_PASSWORD"]
EMAIL_USE_TLS = CONFIG["SMTP_STARTTLS"] and not CONFIG["SMTP_SSL"]
EMAIL_USE_SSL = CONFIG["SMTP_SSL"]
EMAIL_TIMEOUT = 30

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
    # hashed names after collectstatic (cached for a year), plain names before (dpghub.common.compression)
    "staticfiles": {"BACKEND": "dpghub.common.compression.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Security: secure by default, relaxed only where plain-HTTP local use needs it.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = CONFIG["SECURE_COOKIES"]
CSRF_COOKIE_SECURE = CONFIG["SECURE_COOKIES"]
SECURE_CONTENT_TYPE_NOSNIFF = True
# Production behind a TLS proxy (docs/deployment.md): all off in the embedded default, which is plain HTTP.
SECURE_HSTS_SECONDS = CONFIG["HSTS_SECONDS"]
SECURE_HSTS_INCLUDE_SUBDOMAINS = CONFIG["HSTS_INCLUDE_SUBDOMAINS"]
SECURE_HSTS_PRELOAD = CONFIG["HSTS_PRELOAD"]
SECURE_SSL_REDIRECT = CONFIG["SSL_REDIRECT"]
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]


def _proxy_ssl_header(name: str) -> tuple[str, str] | None:
    if not name:
        return None
    if not all(part.isalnum() for part in name.split("-")):
        raise options.ConfigError(f"DPGHUB_PROXY_SSL_HEADER: {name!r} is not a header name (e.g. X-Forwarded-Proto)")
    return "HTTP_" + name.upper().replace("-", "_"), "https"


SECURE_PROXY_SSL_HEADER = _proxy_ssl_header(CONFIG["PROXY_SSL_HEADER"])
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

if CONFIG["LOG_FORMAT"] not in {"text", "json"}:
    raise options.ConfigError(f"DPGHUB_LOG_FORMAT: {CONFIG['LOG_FORMAT']!r} is not text or json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        # a refused request (403, CSRF, 400, 404) is one line with its reason, never a traceback
        "refusals": {"()": "dpghub.common.logs.RefusalFilter"},
    },
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {"()": "dpghub.common.logs.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": CONFIG["LOG_FORMAT"],
                             "filters": ["refusals"]}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"dpghub": {"level": "INFO"}},
}

# Jobs (see dpghub.common.jobs and docs/adr/0003-jobs.md)
DPGHUB_JOB_BACKEND = CONFIG["JOB_BACKEND"]
CELERY_BROKER_URL = CONFIG["BROKER_URL"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "UTC"  # beat's crontab entries (common.schedule) are in UTC
# Redis redelivers a message not acknowledged within this time (a worker lost with its message): longer
# than any job, and harmless if not, since a second delivery finds the job claimed or done (idempotent).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")

DPGHUB_SCREENING_ALLOW_LOCAL = CONFIG["SCREENING_ALLOW_LOCAL"]
DPGHUB_LINK_CHECK_ALLOW_PRIVATE = CONFIG["LINK_CHECK_ALLOW_PRIVATE"]
DPGHUB_DEPLOYMENTS_STALE_DAYS = CONFIG["DEPLOYMENTS_STALE_DAYS"]
DPGHUB_DEPLOYMENTS_MATCH_THRESHOLD = CONFIG["DEPLOYMENTS_MATCH_THRESHOLD"]
DPGHUB_WATCH_EXPIRY_DAYS = CONFIG["WATCH_EXPIRY_DAYS"]
DPGHUB_FINDER_CACHE_SECONDS = CONFIG["FINDER_CACHE_SECONDS"]
DPGHUB_REVIEW_RECOGNITION_DAYS = CONFIG["REVIEW_RECOGNITION_DAYS"]
DPGHUB_REVIEW_RENEWAL_DAYS = CONFIG["REVIEW_RENEWAL_DAYS"]
DPGHUB_REVIEW_ARCHIVE_DAYS = CONFIG["REVIEW_ARCHIVE_DAYS"]
DPGHUB_REVIEW_ARCHIVE_NOTICE_DAYS = CONFIG["REVIEW_ARCHIVE_NOTICE_DAYS"]
DPGHUB_REVIEW_REMINDER_DAYS = CONFIG["REVIEW_REMINDER_DAYS"]
DPGHUB_PAGE_SIZE = CONFIG["PAGE_SIZE"]
# The anonymous page cache (dpghub.web.pagecache, ADR 0013); paths under these prefixes are never kept.
DPGHUB_PAGE_CACHE_SECONDS = CONFIG["PAGE_CACHE_SECONDS"]
DPGHUB_PAGE_CACHE_SKIP = ("/accounts/", "/account/", "/activity/", "/i18n/", "/static/", "/healthz", "/readyz")
DPGHUB_LOGIN_RATE = CONFIG["LOGIN_RATE"]
DPGHUB_SITE_URL = CONFIG["SITE_URL"]
DPGHUB_SOURCE_URL = CONFIG["SOURCE_URL"]
DPGHUB_TRUSTED_PROXIES = CONFIG["TRUSTED_PROXIES"]
DPGHUB_WRITE_API_RATE = CONFIG["WRITE_API_RATE"]
DPGHUB_API_AUTH_FAILURE_RATE = CONFIG["API_AUTH_FAILURE_RATE"]
DPGHUB_CHARTER_REPORTING_PERIOD_DAYS = CONFIG["CHARTER_REPORTING_PERIOD_DAYS"]
DPGHUB_CHARTER_REMINDER_DAYS = CONFIG["CHARTER_REMINDER_DAYS"]
