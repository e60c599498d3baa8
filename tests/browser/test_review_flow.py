"""Nomination and review in a real browser, with the keyboard only: an applicant nominates a good with a
repository (its screening suggests answers), a first-level reviewer passes it, a second-level reviewer asks a
clarification, the applicant answers, the decision makes the good a DPG and the registry page says so; axe-core
finds no violations on any page of the way."""

from __future__ import annotations

import pytest

from dpghub.core.standard import INDICATOR_CODES
from dpghub.review.models import Application
from tests.browser.test_charter_flow import PASSWORD, _check_axe, _press, _sign_in, _type, _wait_for
from tests.core.screening.helpers import MIT, make_repo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def repository(tmp_path, settings):
    """A local git repository (no network): an MIT licence that names its copyright holder."""
    settings.DPGHUB_SCREENING_ALLOW_LOCAL = True
    repo = make_repo(tmp_path / "clinic", {
        "LICENSE": MIT.replace("Example Foundation", "Open Clinic Foundation"),
        "README.md": "# Open Clinic\n\nLicensed under MIT.\n"})
    return f"file://{repo}"


def _sign_out(browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    _press(browser.find_element(By.CSS_SELECTOR, "form.account button"))
    WebDriverWait(browser, 10).until(lambda driver: not driver.find_elements(By.CSS_SELECTOR, "form.account"))


def _message(browser, text):
    """Wait for a flash message containing ``text``. The messages are read in one script call: reading element
    by element races the navigation that a pressed button starts (Chrome then answers "node does not belong to
    the document", which no Selenium exception class names)."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    read = ("return Array.from(document.querySelectorAll('.messages .message'),"
            " m => m.textContent.replace(/\\s+/g, ' ')).join('\\n');")
    wait = WebDriverWait(browser, 10, ignored_exceptions=(WebDriverException,))
    wait.until(lambda driver: text in (driver.execute_script(read) or ""))


def _pass_every_indicator(browser, axe_source):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    for code in INDICATOR_CODES:
        browser.find_element(By.ID, f"v-{code}-pass").send_keys(Keys.SPACE)
        _type(browser, f"v-{code}-notes", f"Indicator {code} is met.")
        _press(browser.find_element(By.XPATH, f'//button[normalize-space()="Save the verdict on indicator {code}"]'))
        _message(browser, f"The verdict on indicator {code} is saved.")
    _check_axe(browser, axe_source)


def test_a_good_nominated_reviewed_clarified_and_recognised(browser, axe_source, live_server, review_world,
                                                            repository):
    from allauth.account.models import EmailAddress
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    for name in ("member", "l1", "l2"):
        person = review_world.people[name]
        person.set_password(PASSWORD)
        person.save()
        EmailAddress.objects.create(user=person, email=person.email, primary=True, verified=True)
    base = live_server.url

    # The applicant nominates a new good with its repository: the screening suggests answers.
    _sign_in(browser, base, "member", "/nominate/")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Nominate a good"
    _check_axe(browser, axe_source)
    _type(browser, "n-name", "Open Clinic")
    _type(browser, "n-repository", repository)
    _press(browser.find_element(By.XPATH, '//button[normalize-space()="Start the application"]'))
    _message(browser, "suggests answers for indicators 2, 3")
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("Indicator 1:")
    _check_axe(browser, axe_source)
    for code in INDICATOR_CODES:
        _wait_for(browser, "#a-text")
        assert browser.find_element(By.TAG_NAME, "h1").text.startswith(f"Indicator {code}:")
        text = browser.find_element(By.ID, "a-text")
        if code in ("2", "3"):  # suggested: read and confirmed as they are
            assert browser.find_element(By.ID, "a-suggested").is_displayed()
            assert "Automated screening (met)" in text.get_attribute("value")
            if code == "2":
                _check_axe(browser, axe_source)
        else:
            text.send_keys(f"Our evidence for indicator {code}.")
        _press(browser.find_element(By.CSS_SELECTOR, 'button[name="go"][value="next"]'))
        if code != INDICATOR_CODES[-1]:
            following = INDICATOR_CODES[INDICATOR_CODES.index(code) + 1]
            WebDriverWait(browser, 10).until(lambda d, c=following: f"/answers/{c}/" in d.current_url)
    _message(browser, "Every step is saved")
    _check_axe(browser, axe_source)
    _press(browser.find_element(By.XPATH, '//button[normalize-space()="Submit for review"]'))
    _message(browser, "The application is submitted")
    application = Application.objects.get(proposed_name="Open Clinic")
    assert application.state == "level-1" and application.answers["2"]["suggested"] is False
    _check_axe(browser, axe_source)
    _sign_out(browser)

    # The first-level reviewer takes it from the queue, passes every indicator and forwards it.
    _sign_in(browser, base, "l1", "/review/")
    assert "Open Clinic" in _wait_for(browser, "table").text
    _check_axe(browser, axe_source)
    _press(browser.find_element(By.XPATH, '//button[normalize-space()="Assign to me"]'))
    _message(browser, "The application is assigned.")
    _check_axe(browser, axe_source)
    _pass_every_indicator(browser, axe_source)
    _press(browser.find_element(By.XPATH, '//button[normalize-space()="Forward to second-level review"]'))
    _message(browser, "forwarded to second-level review")
    _sign_out(browser)

    # The second-level reviewer asks a clarification with a 30-day deadline.
    _sign_in(browser, base, "l2", "/review/")
    _check_axe(browser, axe_source)
    _press(browser.find_element(By.XPATH, '//button[normalize-space()="Assign to me"]'))
    _message(browser, "The application is assigned.")
    _type(browser, "q-question", "Who owns the trademark?")
    browser.find_element(By.ID, "q-i-3").send_keys(Keys.SPACE)
    browser.find_element(By.ID, "q-days-30").send_keys(Keys.SPACE)
    _press(browser.find_element(By.XPATH, '//button[normalize-space()="Request the clarification"]'))
    _message(browser, "The clarification is requested")
    _check_axe(browser, axe_source)
    _sign_out(browser)

    # The applicant answers from their list of applications.
    _sign_in(browser, base, "member", "/applications/mine/")
    _check_axe(browser, axe_source)
    _press(browser.find_element(By.LINK_TEXT, "Open Clinic"))
    _wait_for(browser, "#c-answer").send_keys("The Open Clinic Foundation owns it.")
    _check_axe(browser, axe_source)
    _press(browser.find_element(By.XPATH, '//button[normalize-space()="Send the answer"]'))
    _message(browser, "Your answer is sent")
    _sign_out(browser)

    # The second-level reviewer passes every indicator and decides: a digital public good.
    _sign_in(browser, base, "l2", "/review/queue/2/")
    _press(_wait_for(browser, "table a"))
    _wait_for(browser, "#v-1-pass")
    _pass_every_indicator(browser, axe_source)
    browser.find_element(By.ID, "d-dpg").send_keys(Keys.SPACE)
    _type(browser, "d-reason-3", "The foundation owns the code and the name.")
    _press(browser.find_element(By.XPATH, '//button[normalize-space()="Record the decision"]'))
    _message(browser, "The decision is taken: Digital public good.")
    _check_axe(browser, axe_source)
    _press(browser.find_element(By.LINK_TEXT, "Public page of the application"))
    assert "Recognised as a digital public good" in _wait_for(browser, "#decision-title").find_element(
        By.XPATH, "..").text
    _check_axe(browser, axe_source)
    _press(browser.find_element(By.LINK_TEXT, "The good in the registry"))
    _wait_for(browser, "h1")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Open Clinic"
    assert "Digital public good" in browser.find_element(By.CSS_SELECTOR, ".stage").text
    _check_axe(browser, axe_source)
    browser.get(base + "/decisions/")
    assert "Open Clinic" in browser.find_element(By.TAG_NAME, "table").text
    _check_axe(browser, axe_source)
    browser.get(base + "/review/backlog/")
    _check_axe(browser, axe_source)
