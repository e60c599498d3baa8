"""Production settings (issue 18): `check --deploy` clean in the documented configuration, HTTPS redirect
and HSTS behind a TLS proxy, refused requests logged on one line, JSON logs."""

from __future__ import annotations

import io
import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from dpghub.common.logs import JsonFormatter, RefusalFilter

DOC = Path(__file__).parents[2] / "docs" / "operations.md"


def _documented_config(tmp_path: Path) -> Path:
    block = re.search(r"## Production settings.*?```toml\n(.*?)```", DOC.read_text(), re.DOTALL)
    assert block, "docs/operations.md lost its production configuration"
    path = tmp_path / "dpghub.toml"
    path.write_text(block.group(1))
    return path


def _check_deploy(tmp_path: Path, config: Path | None) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DPGHUB_")}
    env |= {"DPGHUB_DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": os.environ.get("PYTHONPATH", "")}
    if config is not None:
        env["DPGHUB_CONFIG"] = str(config)
    return subprocess.run([sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING",
                           "--settings", "dpghub.config.settings"], env=env, capture_output=True, text=True, check=False)


def test_check_deploy_is_clean_in_the_documented_production_configuration(tmp_path):
    result = _check_deploy(tmp_path, _documented_config(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_embedded_default_is_plain_http_and_check_deploy_says_so(tmp_path):
    result = _check_deploy(tmp_path, None)
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr, result.stderr  # HSTS, HTTPS redirect, insecure cookies: all off


@override_settings(SECURE_SSL_REDIRECT=True, SECURE_HSTS_SECONDS=31536000,
                   SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
@pytest.mark.django_db
def test_behind_the_proxy_http_is_redirected_https_gets_hsts_and_probes_are_exempt(client):
    plain = client.get("/about/")
    assert plain.status_code == 301 and plain["Location"].startswith("https://")
    secure = client.get("/healthz", HTTP_X_FORWARDED_PROTO="https")
    assert secure["Strict-Transport-Security"] == "max-age=31536000"
    for probe in ("/healthz", "/readyz"):
        assert client.get(probe).status_code == 200  # a load balancer speaks plain HTTP to the web process


def test_proxy_ssl_header_must_be_a_header_name(tmp_path):
    env = {**os.environ, "DPGHUB_DATA_DIR": str(tmp_path), "DPGHUB_PROXY_SSL_HEADER": "X-Forwarded-Proto: https"}
    result = subprocess.run([sys.executable, "-c", "import dpghub.config.settings"], env=env,
                            capture_output=True, text=True, check=False)
    assert result.returncode != 0 and "DPGHUB_PROXY_SSL_HEADER" in result.stderr


@pytest.fixture
def console():
    """The configured console handler, writing into a buffer for the test."""
    handler = next(h for h in logging.getLogger().handlers if any(isinstance(f, RefusalFilter) for f in h.filters))
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield handler, buffer
    handler.setStream(previous)


@override_settings(ROOT_URLCONF="tests.config.refusal_urls")
@pytest.mark.django_db
def test_a_refused_request_is_one_line_with_its_reason_and_a_bug_keeps_its_traceback(client, console):
    _handler, buffer = console
    assert client.get("/refuse/").status_code == 403
    assert client.get("/refuse-domain/").status_code == 403
    assert client.get("/suspicious/").status_code == 400
    lines = buffer.getvalue().splitlines()
    assert len(lines) == 3, lines
    assert "Forbidden (Permission denied): /refuse/ (reason: only the secretariat may see this)" in lines[0]
    assert "(reason: only an administrator of the organisation decides membership requests)" in lines[1]
    assert "a forged header" in lines[2]
    assert "Traceback" not in buffer.getvalue()
    client.raise_request_exception = False
    assert client.get("/crash/").status_code == 500
    assert "Traceback" in buffer.getvalue() and "RuntimeError: a real bug" in buffer.getvalue()


@pytest.mark.django_db
def test_a_csrf_refusal_is_one_line(console):
    from django.test import Client

    _handler, buffer = console
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"login": "a@example.org"})
    assert response.status_code == 403
    lines = buffer.getvalue().splitlines()
    assert len(lines) == 1 and "Forbidden (CSRF cookie not set.): /accounts/login/" in lines[0], lines


@override_settings(ROOT_URLCONF="tests.config.refusal_urls")
@pytest.mark.django_db
def test_json_log_format(client, console):
    handler, buffer = console
    previous = handler.formatter
    handler.setFormatter(JsonFormatter())
    try:
        client.get("/refuse/?email=someone@example.org")
    finally:
        handler.setFormatter(previous)
    entry = json.loads(buffer.getvalue().splitlines()[0])
    assert entry["level"] == "WARNING" and entry["logger"] == "django.request"
    assert (entry["method"], entry["path"], entry["status"]) == ("GET", "/refuse/", 403)
    assert entry["message"].endswith("(reason: only the secretariat may see this)")
    assert "exc" not in entry and "someone@example.org" not in buffer.getvalue()
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$", entry["time"])


def test_log_format_json_is_configured_by_its_option(tmp_path):
    env = {**os.environ, "DPGHUB_DATA_DIR": str(tmp_path), "DPGHUB_LOG_FORMAT": "json"}
    code = ("import django, logging; django.setup(); "
            "logging.getLogger('dpghub.test').warning('hello %s', 'world')")
    result = subprocess.run([sys.executable, "-c", code], env={**env, "DJANGO_SETTINGS_MODULE": "dpghub.config.settings"},
                            capture_output=True, text=True, check=False)
    entry = json.loads(result.stderr.strip().splitlines()[-1])
    assert (entry["message"], entry["logger"], entry["level"]) == ("hello world", "dpghub.test", "WARNING")
    bad = subprocess.run([sys.executable, "-c", "import dpghub.config.settings"],
                         env={**env, "DPGHUB_LOG_FORMAT": "xml"}, capture_output=True, text=True, check=False)
    assert bad.returncode != 0 and "DPGHUB_LOG_FORMAT" in bad.stderr
