"""`dpghub serve` end to end: a real gunicorn and job worker on a free port, stopped by SIGTERM."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read()


def _get_any(url: str) -> tuple[int, bytes]:
    """Like _get, but an error status is returned rather than raised."""
    try:
        return _get(url)
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.mark.slow
def test_serve_loads_the_shipped_data_serves_pages_and_stops_cleanly(tmp_path):
    port = _free_port()
    env = {**os.environ, "DPGHUB_DATA_DIR": str(tmp_path / "data"), "DPGHUB_PORT": str(port)}
    if env.get("DPGHUB_DATABASE_URL"):
        pytest.skip("end-to-end serve runs on the embedded default (SQLite); the PostgreSQL pass covers the rest")
    server = subprocess.Popen([sys.executable, "-m", "dpghub", "serve", "--workers", "1"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                status, html = _get(f"http://127.0.0.1:{port}/")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    server.kill()
                    raise AssertionError(server.communicate()[0].decode()) from None
                time.sleep(0.5)
        assert status == 200 and b"<h1" in html
        _, body = _get(f"http://127.0.0.1:{port}/api/v1/goods?page_size=1&stage=all")
        assert json.loads(body)["total"] == 829  # the shipped DPGA records were loaded on first start
        # gunicorn passes long request lines through (its own refusal is an HTML 400): the API answers in JSON
        status, body = _get_any(f"http://127.0.0.1:{port}/api/v1/goods?q={'a' * 5000}")
        assert status == 400 and json.loads(body)["error"]["field"] == "q"  # read, and refused as too long a query
        status, body = _get_any(f"http://127.0.0.1:{port}/api/v1/goods?q={'a' * 9000}")
        assert status == 414 and json.loads(body)["error"]["code"] == "uri_too_long"
        assert json.loads(_get(f"http://127.0.0.1:{port}/healthz")[1]) == {"status": "ok"}
        ready = {}
        for _ in range(100):  # the worker reports its heartbeat, and the scheduler its, on start
            status, body = _get_any(f"http://127.0.0.1:{port}/readyz")
            ready = json.loads(body)
            if status == 200 and ready["checks"].get("scheduler", {}).get("status") == "ok":
                break
            time.sleep(0.2)
        assert ready["status"] == "ok" and ready["checks"]["worker"]["status"] == "ok", ready
        assert ready["checks"]["scheduler"]["status"] == "ok", ready
        children = subprocess.run(["pgrep", "-P", str(server.pid), "-a"], check=False, capture_output=True, text=True).stdout
        assert " web " in children and " worker" in children, children
    finally:
        server.send_signal(signal.SIGTERM)
        code = server.wait(timeout=30)
    output = server.stdout.read().decode()
    server.stdout.close()
    assert code == 0, output
    assert "Loaded the shipped DPGA records" in output
    leftover = subprocess.run(["pgrep", "-g", str(server.pid)], check=False, capture_output=True, text=True).stdout.strip()
    assert leftover == "", f"processes left running: {leftover}"
