"""Signing in and out: allauth's views with our templates, and a login rate limit per client address."""

import re

import pytest
from django.test import Client

from dpghub.common.ratelimit import Rate, rate_parse, ratelimit_hit
from tests.people import PASSWORD, make_person

pytestmark = pytest.mark.django_db


def _html(response) -> str:
    return response.content.decode()


@pytest.fixture
def member():
    return make_person("member@example.org", name="Member")


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_sign_in_page_is_a_labelled_form_with_csrf(client):
    response = client.get("/accounts/login/?next=/goods/x/")
    assert response.status_code == 200
    html = _html(response)
    assert "<h1>Sign in</h1>" in html
    form = re.search(r'<form class="stacked" method="post" action="/accounts/login/" novalidate>(.*?)</form>', html,
                     re.DOTALL).group(1)
    assert 'name="csrfmiddlewaretoken"' in form
    assert '<input type="hidden" name="next" value="/goods/x/">' in form
    assert '<label for="id_login">E-mail address</label>' in form
    assert 'type="email"' in form and 'id="id_login"' in form and 'autocomplete="email"' in form
    assert '<label for="id_password">Password</label>' in form
    assert 'autocomplete="current-password"' in form and 'type="password"' in form
    assert '<label for="id_remember">Keep me signed in on this device</label>' in form
    assert '<a href="/accounts/login/" aria-current="page">Sign in</a>' in html
    assert '<a href="/accounts/password/reset/">Forgot your password?</a>' in html
    assert '<a href="/accounts/signup/?next=%2Fgoods%2Fx%2F">Create an account</a>' in html


def test_sign_in_then_sign_out(member):
    client = Client(enforce_csrf_checks=True)
    page = _html(client.get("/accounts/login/"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = {"login": "member@example.org", "password": PASSWORD}
    assert client.post("/accounts/login/", data).status_code == 403
    response = client.post("/accounts/login/", {**data, "csrfmiddlewaretoken": token, "next": "/goods/x/"})
    assert (response.status_code, response["Location"]) == (302, "/goods/x/")
    assert _signed_in(client)
    html = _html(client.get("/accounts/logout/"))
    assert "<p>You are signed in as member@example.org.</p>" in html
    assert "Signed in as member@example.org</span>" in html  # the header
    assert '<a href="/accounts/">Your account</a>' in html
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = client.post("/accounts/logout/", {"csrfmiddlewaretoken": token}, follow=True)
    assert response.redirect_chain == [("/", 302)]
    assert "You are signed out.</p>" in _html(response)
    assert not _signed_in(client)


def test_the_email_address_is_matched_without_regard_to_case(client, member):
    response = client.post("/accounts/login/", {"login": "Member@Example.ORG", "password": PASSWORD})
    assert response.status_code == 302
    assert _signed_in(client)


def test_wrong_password_says_so(client, member):
    response = client.post("/accounts/login/", {"login": "member@example.org", "password": "wrong"})
    assert response.status_code == 200
    assert ('<div class="alert" role="alert"><p>The email address and/or password you specified are not correct.'
            in _html(response))
    assert not _signed_in(client)


def test_the_eleventh_attempt_in_a_minute_is_refused_even_with_the_right_password(settings, member):
    settings.DPGHUB_LOGIN_RATE = "10/m"
    # allauth's own limit on failed attempts per account would refuse first; this test is about ours
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "100/m/ip"}
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    for _attempt in range(10):
        response = attacker.post("/accounts/login/", {"login": "member@example.org", "password": "wrong"})
        assert response.status_code == 200
    response = attacker.post("/accounts/login/", {"login": "member@example.org", "password": PASSWORD})
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    html = _html(response)
    assert re.search(r'<div class="alert" role="alert"><p>Too many sign-in attempts from your address\. '
                     r"Try again in \d+ seconds?\.</p></div>", html)
    assert 'value="member@example.org"' in html  # the address is kept, the password is not
    assert PASSWORD not in html
    assert not _signed_in(attacker)
    # another address is not limited
    other = Client(REMOTE_ADDR="198.51.100.2")
    assert other.post("/accounts/login/", {"login": "member@example.org", "password": PASSWORD}).status_code == 302
    assert _signed_in(other)


def test_allauths_own_limit_stops_guessing_one_accounts_password_from_many_addresses(settings, member):
    for number in range(5):  # login_failed: 5 per 5 minutes per account
        client = Client(REMOTE_ADDR=f"198.51.100.{number + 10}")
        assert client.post("/accounts/login/", {"login": "member@example.org", "password": "wrong"}).status_code == 200
    client = Client(REMOTE_ADDR="198.51.100.99")
    response = client.post("/accounts/login/", {"login": "member@example.org", "password": PASSWORD})
    assert response.status_code == 200
    assert "Too many failed login attempts. Try again later." in _html(response)
    assert not _signed_in(client)


def test_rate_parse():
    assert rate_parse("10/m") == Rate(10, 60)
    assert rate_parse(" 100 / h ") == Rate(100, 3600)
    assert rate_parse("5/10m") == Rate(5, 600)
    assert rate_parse("1/s") == Rate(1, 1)
    assert rate_parse("2/d") == Rate(2, 86400)
    for bad in ["", "10", "10/w", "ten/m", "0/m", "10/0m", "-1/m"]:
        with pytest.raises(ValueError, match="not a rate"):
            rate_parse(bad)


def test_the_window_slides_rather_than_resetting_on_the_minute():
    start = 6_000_000.0 + 50  # 10 s before a window boundary
    for second in range(10):
        assert ratelimit_hit(scope="t", key="a", rate="10/m", now=start + second).allowed
    # after the boundary, but within a minute of the first attempt: refused until it is a minute old
    refused = ratelimit_hit(scope="t", key="a", rate="10/m", now=start + 20)
    assert (refused.allowed, refused.retry_after) == (False, 40)
    assert not ratelimit_hit(scope="t", key="a", rate="10/m", now=start + 59.5).allowed
    assert ratelimit_hit(scope="t", key="a", rate="10/m", now=start + 60.5).allowed
    assert not ratelimit_hit(scope="t", key="a", rate="10/m", now=start + 60.6).allowed  # the 2nd is 59.6 s old
    assert ratelimit_hit(scope="t", key="b", rate="10/m", now=start + 20).allowed  # keys are separate
    assert ratelimit_hit(scope="u", key="a", rate="10/m", now=start + 20).allowed  # scopes too


def test_refused_attempts_do_not_extend_the_wait():
    for second in range(3):
        assert ratelimit_hit(scope="t", key="c", rate="3/m", now=1000.0 + second).allowed
    for second in range(3, 60):
        assert not ratelimit_hit(scope="t", key="c", rate="3/m", now=1000.0 + second).allowed
    assert ratelimit_hit(scope="t", key="c", rate="3/m", now=1060.5).allowed


def test_behind_a_trusted_proxy_the_forwarded_address_is_limited_and_spoofing_does_not_help(settings, member):
    settings.DPGHUB_LOGIN_RATE = "2/m"
    settings.DPGHUB_TRUSTED_PROXIES = 1
    proxy = "10.0.0.1"
    wrong = {"login": "member@example.org", "password": "wrong"}
    # The same client behind the proxy, each time writing a different X-Forwarded-For of its own:
    # the proxy appends the real address, which is the only entry trusted.
    for spoof in ["1.1.1.1", "2.2.2.2"]:
        client = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=f"{spoof}, 203.0.113.9")
        assert client.post("/accounts/login/", wrong).status_code == 200
    client = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="3.3.3.3, 203.0.113.9")
    assert client.post("/accounts/login/", wrong).status_code == 429
    # another client behind the same proxy is not limited
    neighbour = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.20")
    response = neighbour.post("/accounts/login/", {"login": "member@example.org", "password": PASSWORD})
    assert response.status_code == 302
