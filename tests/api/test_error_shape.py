"""Every response under /api/ has the API's error shape, whatever refuses the request."""

from __future__ import annotations

import pytest

from dpghub.api.middleware import MAX_REQUEST_TARGET

pytestmark = pytest.mark.django_db


def _error(response) -> dict:
    assert response["Content-Type"] == "application/json", response.content[:200]
    return response.json()["error"]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("path", ["/api/v1/goods", "/api/v1/charter/grid"])
def test_a_method_a_read_only_path_does_not_take_is_a_json_405_with_allow(client, method, path):
    response = getattr(client, method)(path)
    assert response.status_code == 405
    error = _error(response)
    assert error["code"] == "method_not_allowed"
    assert error["message"] == f"{method.upper()} is not allowed on {path}; allowed: GET."
    assert response["Allow"] == "GET"


def test_an_over_long_request_line_is_a_json_414_and_a_long_one_under_the_limit_is_read(client):
    response = client.get("/api/v1/goods", {"q": "a" * MAX_REQUEST_TARGET})
    assert response.status_code == 414
    error = _error(response)
    assert error["code"] == "uri_too_long"
    assert str(MAX_REQUEST_TARGET) in error["message"]
    # under the limit the API reads the request, and says what is wrong with it
    response = client.get("/api/v1/goods", {"q": "a" * 5000})
    assert (response.status_code, _error(response)["code"], _error(response)["field"]) == (400, "invalid_query", "q")


def test_a_request_django_refuses_before_any_view_keeps_the_shape(client):
    response = client.get("/api/v1/goods", HTTP_HOST="evil.example")  # not in ALLOWED_HOSTS
    assert response.status_code == 400
    assert _error(response)["code"] == "bad_request"


def test_pages_outside_the_api_are_left_alone(client):
    response = client.post("/api/v1/goods")
    assert response["Content-Type"] == "application/json"
    page = client.get("/no-such-page/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("path", ["/api/v1/goods", "/api/v1/pledges", "/api/v1/deployments"])
def test_a_page_number_past_what_a_database_offset_holds_is_a_400_not_a_server_error(client, path):
    # found by schemathesis: ?page=6585649606040600576 overflowed SQLite's OFFSET (a 500)
    response = client.get(path, {"page": "6585649606040600576"})
    assert response.status_code == 400
    assert _error(response)["field"] == "page"
    assert client.get(path, {"page": "1000000"}).status_code == 200


def test_the_grid_refuses_a_day_it_cannot_count_back_from(client):
    # found by schemathesis: as_of=0001-01-01 overflowed the date arithmetic (a 500)
    response = client.get("/api/v1/charter/grid", {"as_of": "0001-01-01"})
    assert response.status_code == 400 and _error(response)["field"] == "as_of"
    assert client.get("/api/v1/charter/grid", {"as_of": "1999-12-31"}).status_code == 200
    page = client.get("/charter/", {"as_of": "0001-01-01"})
    assert page.status_code == 200  # the page drops a wrong filter and says so, as with any other


def test_head_is_answered_like_get_without_the_body(client):
    get, head = client.get("/api/v1/goods"), client.head("/api/v1/goods")
    assert (head.status_code, head.content) == (200, b"")
    assert head["Content-Type"] == get["Content-Type"] and int(head["Content-Length"]) == len(get.content)
    assert client.head("/api/v1/no-such-thing").status_code == 404
