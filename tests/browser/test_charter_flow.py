"""The Charter in a real browser, with the keyboard only: a member of an endorser registers a pledge with a
finance target and publishes it, reports progress, the secretariat verifies the report, and the grid shows
it; axe-core finds no violations on any page of the way."""

from __future__ import annotations

import datetime as dt

import pytest

from dpghub.catalog.models import Good
from dpghub.charter.services import endorsement_create
from tests.browser.test_accessibility import OPEN_DETAILS, RUN_AXE, _console_errors, _describe
from tests.people import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-password"


def _check_axe(browser, axe_source):
    browser.execute_script(OPEN_DETAILS)  # what is collapsed is checked too
    browser.execute_script(axe_source)
    result = browser.execute_async_script(RUN_AXE)
    assert "error" not in result, result
    assert result["violations"] == [], _describe(result["violations"])
    assert _console_errors(browser, browser.current_url) == []


def _type(browser, element_id, text):
    from selenium.webdriver.common.by import By

    field = browser.find_element(By.ID, element_id)
    field.clear()
    field.send_keys(text)


def _press(element):
    """Activate a control from the keyboard (Enter), never with the mouse."""
    from selenium.webdriver.common.keys import Keys

    element.send_keys(Keys.ENTER)


def _wait_for(browser, css):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 10).until(lambda driver: driver.find_elements(By.CSS_SELECTOR, css))
    return browser.find_element(By.CSS_SELECTOR, css)


def _sign_in(browser, base, username, next_path, *, totp_secret=None):
    """Sign in by e-mail; with ``totp_secret``, answer the two-factor step as an authenticator app would."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(f"{base}/accounts/login/?next={next_path}")
    _type(browser, "id_login", f"{username}@example.org")  # people sign in by e-mail
    browser.find_element(By.ID, "id_password").send_keys(PASSWORD, Keys.ENTER)
    WebDriverWait(browser, 10).until(lambda driver: "/accounts/login/" not in driver.current_url)
    if totp_secret is not None:
        WebDriverWait(browser, 10).until(lambda driver: "/accounts/2fa/authenticate/" in driver.current_url)
        browser.find_element(By.ID, "id_code").send_keys(totp_code(totp_secret), Keys.ENTER)
        WebDriverWait(browser, 10).until(lambda driver: "/accounts/2fa/" not in driver.current_url)


def test_a_pledge_from_draft_to_verified_progress_in_the_grid(browser, axe_source, live_server, world):
    from allauth.account.models import EmailAddress
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    for person in (world.people["member"], world.people["secretariat"]):
        person.set_password(PASSWORD)
        person.save()
        EmailAddress.objects.create(user=person, email=person.email, primary=True, verified=True)
    Good.objects.create(slug="dhis2", name="DHIS2")
    endorsement_create(actor=world.actors["admin"], organisation=world.org, endorsed_on=dt.date(2025, 1, 10),
                       signatory_role="Minister of Health")
    base = live_server.url

    # The member registers a pledge with a finance target; the check says what is missing first.
    _sign_in(browser, base, "member", "/charter/pledges/new/%3Fendorser%3Dmoh-ke")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Register a pledge"
    _check_axe(browser, axe_source)
    _type(browser, "p-title", "Fund DHIS2 core in Kenya")
    browser.find_element(By.CSS_SELECTOR, 'input[name="types"][value="finance"]').send_keys(Keys.SPACE)
    browser.find_element(By.CSS_SELECTOR, 'input[name="outcomes"][value="products"]').send_keys(Keys.SPACE)
    _type(browser, "p-countries", "KE")
    _type(browser, "t1-metric", "Core funding")
    _type(browser, "t1-currency", "USD")
    _type(browser, "t1-target_value", "1000")
    _press(browser.find_element(By.CSS_SELECTOR, 'button[name="check"]'))
    guidance = _wait_for(browser, "#smart-title").find_element(By.XPATH, "..").text
    assert "The pledge names no digital public good" in guidance
    assert "A target has no deadline" in guidance
    _check_axe(browser, axe_source)
    _type(browser, "p-goods", "dhis2")
    _press(browser.find_element(By.CSS_SELECTOR, 'button[name="save"]'))
    _wait_for(browser, ".message-success")
    assert "/charter/pledges/moh-ke-1/" in browser.current_url
    _check_axe(browser, axe_source)

    # It publishes the pledge and reports progress: self-reported until verified.
    _press(browser.find_element(By.XPATH, '//button[normalize-space()="Publish the pledge"]'))
    assert "it is now public" in _wait_for(browser, ".message-success").text
    _press(browser.find_element(By.CSS_SELECTOR, "details.report-form summary"))
    value = browser.find_element(By.CSS_SELECTOR, 'input[name="value"]')
    value.send_keys("400")
    browser.find_element(By.CSS_SELECTOR, 'textarea[name="narrative"]').send_keys("First tranche paid")
    _press(browser.find_element(By.XPATH, '//button[normalize-space()="Report progress"]'))
    assert "self-reported until the secretariat verifies it" in _wait_for(browser, ".message-success").text
    assert browser.find_element(By.CSS_SELECTOR, "dd .verification").text == "Self-reported"
    _check_axe(browser, axe_source)
    _press(browser.find_element(By.CSS_SELECTOR, "form.account button"))  # sign out
    WebDriverWait(browser, 10).until(lambda driver: not driver.find_elements(By.CSS_SELECTOR, "form.account"))

    # The secretariat verifies the report.
    _sign_in(browser, base, "sec", "/charter/pledges/moh-ke-1/", totp_secret=world.people["secretariat"].totp_secret)
    _check_axe(browser, axe_source)
    _press(browser.find_element(By.XPATH, '//button[starts-with(normalize-space(), "Verify")]'))
    assert _wait_for(browser, ".message-success").text == "The report is verified."
    assert browser.find_element(By.CSS_SELECTOR, "dd .verification").text == "Verified by the secretariat"
    _check_axe(browser, axe_source)

    # The grid counts it, with its money per currency and the verified part.
    _press(browser.find_element(By.LINK_TEXT, "Charter"))
    cell = _wait_for(browser, "table.grid tbody tr td")
    assert cell.text.splitlines() == [
        "1 pledge, 1 endorser",
        "USD: 1000.00 pledged, 400.00 reported, of which 400.00 verified",
        "0 completed, 0 late, 0 overdue",
        "✓ Pledges with progress",
    ]
    _check_axe(browser, axe_source)
    _press(browser.find_element(By.LINK_TEXT, "The endorsers and their pledges"))
    _wait_for(browser, "table")
    _check_axe(browser, axe_source)
    browser.get(base + "/charter/endorsers/moh-ke/")
    assert "Fund DHIS2 core in Kenya" in browser.find_element(By.TAG_NAME, "main").text
    _check_axe(browser, axe_source)
    browser.get(base + "/charter/countries/KE/")
    _check_axe(browser, axe_source)
