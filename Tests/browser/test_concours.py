"""The contest « Ma réussite pro » (issue 22) on the demo: the académie juror marks an entry through the marking
form (an out-of-range mark is refused beside its field), a signed-in visitor votes once (the button then says so),
and last year's results page shows the medals and the public prize."""
import json
import urllib.request

from conftest import sign_in
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait


def editions(server):
    with urllib.request.urlopen(server + "/api/v1/concours") as response:
        found = json.load(response)
    current = next(e for e in found if e["phase"] != "resultats")
    past = next(e for e in found if e["phase"] == "resultats")
    return current, past


def fill(driver, field_id, text):
    element = driver.find_element(By.ID, field_id)
    element.clear()
    element.send_keys(text)


def test_juror_marks_visitor_votes_once_results_show_medals(server, browser, shoot):
    current, past = editions(server)

    # the académie juror finds the entries to mark from the back-office home
    sign_in(browser, server, "jure.academique@cmq.test")
    WebDriverWait(browser, 10).until(lambda d: d.current_url.endswith("/gestion"))
    assert "candidatures à noter" in browser.page_source
    browser.find_element(By.LINK_TEXT, current["nom"]).click()
    WebDriverWait(browser, 10).until(lambda d: "/gestion/concours/" in d.current_url)
    browser.find_element(By.PARTIAL_LINK_TEXT, "Noter « ").click()
    WebDriverWait(browser, 10).until(lambda d: d.current_url.endswith("/notes"))
    form = browser.current_url
    inputs = browser.find_elements(By.CSS_SELECTOR, "form.bo-form input[type=number]")
    assert [i.get_attribute("max") for i in inputs] == ["20", "20", "10"]
    # an out-of-range mark: refused, the error beside its field, nothing changed
    fill(browser, "note-message", "25")
    fill(browser, "note-parcours", "12")
    fill(browser, "note-realisation", "7")
    browser.execute_script("document.querySelector('form.bo-form').noValidate = true")
    browser.find_element(By.XPATH, "//button[normalize-space()='Enregistrer mes notes']").click()
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".error-summary"))
    assert "va de 0 à 20" in browser.find_element(By.ID, "err-note-message").text
    assert browser.find_element(By.ID, "note-message").get_attribute("aria-invalid") == "true"
    shoot(browser, "concours-notation-erreur")
    fill(browser, "note-message", "18")
    browser.find_element(By.XPATH, "//button[normalize-space()='Enregistrer mes notes']").click()
    WebDriverWait(browser, 10).until(lambda d: "Vos notes sont enregistrées" in d.page_source)
    browser.get(form)
    assert "Votre total actuel" in browser.page_source
    assert browser.find_element(By.ID, "note-message").get_attribute("value") == "18"

    # a signed-in visitor (the national juror has not voted) votes once
    sign_in(browser, server, "jure.national@cmq.test")
    WebDriverWait(browser, 10).until(lambda d: d.current_url.endswith("/gestion"))
    browser.get(server + "/concours")
    browser.find_element(By.LINK_TEXT, current["nom"]).click()
    WebDriverWait(browser, 10).until(lambda d: f"/concours/{current['id'].lower()}" in d.current_url)
    buttons = browser.find_elements(By.XPATH, "//button[starts-with(normalize-space(), 'Voter pour')]")
    assert buttons, "the vote is open in the demo's current edition"
    before = len(buttons)
    buttons[0].click()
    WebDriverWait(browser, 10).until(lambda d: "fait=vote" in d.current_url)
    assert "Votre vote est enregistré" in browser.page_source
    assert "Vous avez voté pour ce témoignage." in browser.page_source
    assert len(browser.find_elements(By.XPATH, "//button[starts-with(normalize-space(), 'Voter pour')]")) < before
    shoot(browser, "concours-vote")

    # an anonymous visitor is offered to sign in instead of a button
    browser.delete_all_cookies()
    browser.get(server + f"/concours/{current['id'].lower()}")
    assert "connectez-vous pour voter" in browser.page_source
    assert not browser.find_elements(By.XPATH, "//button[starts-with(normalize-space(), 'Voter pour')]")

    # last year's results: the medals and the public prize
    browser.get(server + "/concours")
    browser.find_element(By.LINK_TEXT, f"Résultats de {past['nom']}").click()
    WebDriverWait(browser, 10).until(lambda d: d.current_url.endswith("/resultats"))
    medals = [m.text for m in browser.find_elements(By.CSS_SELECTOR, "table td strong")]
    assert "Or" in medals
    assert "Prix du public" in browser.page_source
    assert "Contenu de démonstration" in browser.page_source
    shoot(browser, "concours-resultats")
