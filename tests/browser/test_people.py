"""Keyboard only, in a real browser: sign up, verify the address from the outbox, set up two-factor, sign out,
sign in with a one-time code. axe-core finds no violation on any page on the way."""

import pytest

from tests.browser.test_accessibility import _axe, _console_errors, _describe
from tests.people import last_mail_to, mail_links, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-pass-phrase"


def _tab_to(browser, element, *, limit=80):
    """Press Tab from where the focus is until ``element`` has it: it is reachable in the focus order."""
    from selenium.webdriver.common.keys import Keys

    for _press in range(limit):
        if browser.switch_to.active_element == element:
            return element
        browser.switch_to.active_element.send_keys(Keys.TAB)
    raise AssertionError(f"Tab never reached {element.get_attribute('outerHTML')[:120]}")


def _type(browser, css, text):
    from selenium.webdriver.common.by import By

    _tab_to(browser, browser.find_element(By.CSS_SELECTOR, css)).send_keys(text)


def _press_enter_on(browser, css):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    _tab_to(browser, browser.find_element(By.CSS_SELECTOR, css)).send_keys(Keys.ENTER)


def _wait_path(browser, base, path):
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 10).until(lambda driver: driver.current_url.split("?")[0] == base + path,
                                     f"expected {path}")


def _clean(browser, axe_source, url=None):
    url = url or browser.current_url
    violations = _axe(browser, axe_source, url, open_details=True)
    assert violations == [], _describe(violations)
    assert _console_errors(browser, url) == []


def test_sign_up_verify_set_up_two_factor_sign_out_and_in_with_a_code(browser, axe_source, live_server, outbox):
    from selenium.webdriver.common.by import By

    base = live_server.url
    _clean(browser, axe_source, base + "/accounts/signup/")
    _type(browser, "#id_email", "zoe@example.org")
    _type(browser, "#id_password1", PASSWORD)
    _type(browser, "#id_password2", PASSWORD)
    _type(browser, "#id_name", "Zoé Martin")
    _press_enter_on(browser, "form.stacked button[type=submit]")
    _wait_path(browser, base, "/accounts/confirm-email/")
    _clean(browser, axe_source)

    (link,) = [link for link in mail_links(last_mail_to("zoe@example.org")) if "/confirm-email/" in link]
    _clean(browser, axe_source, base + "/" + link.split("://", 1)[1].split("/", 1)[1])
    _press_enter_on(browser, "form.stacked button[type=submit]")
    _wait_path(browser, base, "/")
    assert "Signed in as zoe@example.org" in browser.find_element(By.CSS_SELECTOR, "header").text

    _clean(browser, axe_source, base + "/accounts/")
    browser.get(base + "/accounts/2fa/totp/activate/")
    _wait_path(browser, base, "/accounts/reauthenticate/")
    _clean(browser, axe_source)
    _type(browser, "#id_password", PASSWORD)
    _press_enter_on(browser, "form.stacked button[type=submit]")
    _wait_path(browser, base, "/accounts/2fa/totp/activate/")
    _clean(browser, axe_source)
    secret = browser.find_element(By.CSS_SELECTOR, ".secret code").text
    _type(browser, "#id_code", totp_code(secret))
    _press_enter_on(browser, "form.stacked button[type=submit]")
    _wait_path(browser, base, "/accounts/2fa/recovery-codes/")
    _clean(browser, axe_source)

    browser.get(base + "/accounts/logout/")
    _clean(browser, axe_source)
    _press_enter_on(browser, "main form.stacked button[type=submit]")
    _wait_path(browser, base, "/")
    assert browser.find_elements(By.LINK_TEXT, "Sign in")

    browser.get(base + "/accounts/login/")
    _clean(browser, axe_source)
    _type(browser, "#id_login", "zoe@example.org")
    _type(browser, "#id_password", PASSWORD)
    _press_enter_on(browser, "main form.stacked button[type=submit]")
    _wait_path(browser, base, "/accounts/2fa/authenticate/")
    _clean(browser, axe_source)
    _type(browser, "#id_code", totp_code(secret))
    _press_enter_on(browser, "form.stacked button[type=submit]")
    _wait_path(browser, base, "/")
    assert "Signed in as zoe@example.org" in browser.find_element(By.CSS_SELECTOR, "header").text
    _clean(browser, axe_source, base + "/accounts/delete/")
