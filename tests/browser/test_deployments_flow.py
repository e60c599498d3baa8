"""Deployments in a real browser, with the keyboard only: a member of the deploying agency finds an imported
claim from the country page and confirms it, the country page then shows it verified, and a person who follows
Kenya finds the notice among their notifications; axe-core finds no violations on the country, map, deployments
and deployment pages, the record form, nor the notifications page."""

from __future__ import annotations

import pytest

from dpghub.deployments.models import Deployment, DeploymentPartner
from tests.browser.test_charter_flow import PASSWORD, _check_axe, _press, _sign_in, _wait_for
from tests.deployments.helpers import make_good

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_agency_member_confirms_an_imported_claim(browser, axe_source, live_server, world):
    from allauth.account.models import EmailAddress
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from dpghub.notifications.watching import watch_follow

    for person in (world.people["member"], world.people["outsider"]):
        person.set_password(PASSWORD)
        person.save()
        EmailAddress.objects.create(user=person, email=person.email, primary=True, verified=True)
    watch_follow(actor=world.actors["outsider"], country="KE")  # a watcher of Kenya
    dhis2, mosip = make_good("dhis2", "DHIS2"), make_good("mosip", "MOSIP")
    claim = Deployment.objects.create(
        good=dhis2, country="KE", agency=world.org, layer="information-systems", stage="national",
        reach=9000, reach_unit="facilities", source_kind="import", source_format="dha", source_file="DHA-Data.csv",
        source_row=41, source_key="dha:DHA-Data.csv:41", match_method="exact", match_name="DHIS2",
        evidence_urls=["https://example.org/dhis2-kenya"])
    disputed = Deployment.objects.create(good=mosip, country="UG", agency_name="NIRA", layer="identity",
                                         stage="pilot", verification="disputed", disputed_reason="No evidence")
    DeploymentPartner.objects.create(deployment=claim, role="implementer", name="HISP Kenya")
    base = live_server.url

    # Anyone: the map and the country page, the claim shown as a claim.
    browser.get(base + "/map/")
    _check_axe(browser, axe_source)
    browser.get(base + "/map/?layer=identity&stage=pilot")
    _check_axe(browser, axe_source)
    browser.get(base + f"/deployments/{disputed.pk}/")
    _check_axe(browser, axe_source)
    browser.get(base + "/deployments/?country=KE")
    _check_axe(browser, axe_source)
    browser.get(base + "/implementers/")
    _check_axe(browser, axe_source)
    browser.get(base + "/countries/")
    _check_axe(browser, axe_source)

    # The agency's member signs in, goes to Kenya's page and on to the claim, and confirms it.
    _sign_in(browser, base, "member", "/countries/KE/")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Digital public goods in Kenya"
    row = browser.find_element(By.XPATH, '//table[@class="deployments"]//tr[th/a[normalize-space()="DHIS2"]]')
    assert "Claimed" in row.text and "9000 facilities" in row.text
    _check_axe(browser, axe_source)
    _press(row.find_element(By.LINK_TEXT, "DHIS2"))
    _wait_for(browser, "section[aria-labelledby=source-title]")
    assert "Imported from DHA-Data.csv, row 41" in browser.find_element(By.TAG_NAME, "main").text
    _check_axe(browser, axe_source)
    _press(browser.find_element(By.XPATH, '//button[normalize-space()="Confirm this deployment"]'))
    assert "The deployment is confirmed" in _wait_for(browser, ".message-success").text
    assert browser.find_element(By.CSS_SELECTOR, "p.state .verification").text == "✓ Verified"
    _check_axe(browser, axe_source)

    # Kenya's page shows it verified.
    _press(browser.find_element(By.CSS_SELECTOR, ".crumbs a[href='/countries/KE/']"))
    row = _wait_for(browser, "table.deployments").find_element(By.XPATH, './/tr[th/a[normalize-space()="DHIS2"]]')
    assert "✓ Verified" in row.text
    assert "1 verified" in browser.find_element(By.CSS_SELECTOR, "p.summary").text
    _check_axe(browser, axe_source)
    assert Deployment.objects.get(pk=claim.pk).verification == "verified"

    # The record form, signed in.
    browser.get(base + "/deployments/new/?good=dhis2")
    _check_axe(browser, axe_source)

    # The watcher of Kenya signs in and finds the notice, which leads to the deployment.
    _press(browser.find_element(By.CSS_SELECTOR, "form.account button"))  # sign out
    WebDriverWait(browser, 10).until(lambda driver: not driver.find_elements(By.CSS_SELECTOR, "form.account"))
    _sign_in(browser, base, "outsider", "/account/notifications/")
    main = _wait_for(browser, "main")
    assert "Ministry of Health confirmed its deployment of DHIS2 in Kenya" in main.text
    _check_axe(browser, axe_source)
    _press(main.find_element(By.CSS_SELECTOR, f"a[href='/deployments/{claim.pk}/']"))
    _wait_for(browser, "section[aria-labelledby=source-title]")
