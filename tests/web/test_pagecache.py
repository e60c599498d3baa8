"""The anonymous page cache: answers from memory, never across a write, never for someone signed in."""

from __future__ import annotations

import pytest
from django.test import Client

from dpghub.catalog.models import Good
from dpghub.catalog.services.editing import good_fields_set
from dpghub.web.pagecache import store

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache_on(settings, world):
    settings.DPGHUB_PAGE_CACHE_SECONDS = 300
    store.clear()
    return Good.objects.create(name="Cached Good", slug="cached-good", stage="dpg", description="first words")


def _get(client, path, **headers):
    response = client.get(path, **headers)
    return response, response.get("X-DPGHub-Cache")


def test_a_second_anonymous_visit_is_answered_from_memory_and_a_write_invalidates_it(cache_on, world):
    client = Client()
    first, state = _get(client, "/goods/cached-good/")
    assert (first.status_code, state) == (200, "miss")
    again, state = _get(Client(), "/goods/cached-good/")
    assert state == "hit" and again.content == first.content and again["ETag"] == first["ETag"]
    assert again["Content-Type"] == first["Content-Type"]
    # a write through a service records a history row: the next visit renders again and shows it
    good_fields_set(actor=world.actors["secretariat"], good=cache_on, values={"description": "second words"})
    after, state = _get(Client(), "/goods/cached-good/")
    assert state == "miss" and b"second words" in after.content and after["ETag"] != first["ETag"]


def test_a_matching_etag_is_a_304_without_rendering(cache_on):
    first, _ = _get(Client(), "/api/v1/goods/cached-good")
    assert first.status_code == 200
    response = Client().get("/api/v1/goods/cached-good", HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 304 and response.content == b"" and response["ETag"] == first["ETag"]


def test_languages_and_encodings_are_kept_apart(cache_on):
    english, _ = _get(Client(), "/goods/cached-good/", HTTP_ACCEPT_LANGUAGE="en")
    french, state = _get(Client(), "/goods/cached-good/", HTTP_ACCEPT_LANGUAGE="fr")
    assert state == "miss" and english["ETag"] != french["ETag"]
    assert french["Content-Language"] == "fr"
    assert "Accept-Language" in english["Vary"] and "Cookie" in english["Vary"]


def test_people_signed_in_and_token_holders_are_never_served_from_or_into_the_cache(cache_on, world):
    signed_in = Client()
    signed_in.force_login(world.people["member"])
    for _ in range(2):
        response, state = _get(signed_in, "/goods/cached-good/")
        assert response.status_code == 200 and state is None
    _, state = _get(Client(), "/api/v1/goods/cached-good", HTTP_AUTHORIZATION="Bearer x")
    assert state is None
    assert len(store._items) == 0


def test_pages_with_a_form_token_or_a_cookie_are_not_kept(cache_on):
    response, state = _get(Client(), "/accounts/login/")
    assert state is None and "csrftoken" in response.cookies  # under a skipped prefix, and holds a CSRF token
    response, state = _get(Client(), "/charter/pledges/new/")
    assert state is None and response.status_code != 200
    assert len(store._items) == 0


@pytest.mark.parametrize("path", ["/", "/?q=cached", "/api/v1/goods?q=cached", "/charter/"])
def test_the_public_pages_the_load_benchmark_measures_are_cacheable(cache_on, path):
    first, state = _get(Client(), path)
    assert (first.status_code, state) == (200, "miss")
    again, state = _get(Client(), path)
    assert state == "hit" and again.content == first.content
