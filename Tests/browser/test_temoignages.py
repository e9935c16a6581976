"""« Ma réussite pro » (issue 22): a teacher submits a testimony with its video and captions through the back-office
form; publication is refused until the consent is recorded; the national administrator records it and publishes;
the testimony is in the gallery and its player has its captions track (served as WebVTT)."""
import re
import urllib.request
from pathlib import Path

from conftest import sign_in
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

CLIPS = Path(__file__).resolve().parents[2] / "Sources/CMQApp/Resources/Data/demo/temoignages"
TITLE = "De la troisième à l'atelier de cuisine"


def fill(driver, field_id, text):
    element = driver.find_element(By.ID, field_id)
    element.clear()
    element.send_keys(text)


def test_submission_consent_moderation_gallery_captions(server, browser, shoot):
    # the teacher (a member lycée's account) submits, with the video and its captions
    sign_in(browser, server, "membre.condorcet@cmq.test")
    WebDriverWait(browser, 10).until(lambda d: d.current_url.endswith("/gestion"))
    browser.find_element(By.LINK_TEXT, "Témoignages « Ma réussite pro »").click()
    campus = Select(browser.find_element(By.ID, "campusId"))
    assert campus.options, "the teacher's lycée is a member of a campus's network"
    fill(browser, "titre", TITLE)
    fill(browser, "prenom", "Yanis")
    fill(browser, "texte", "Yanis raconte son apprentissage et ce que lui apprend chaque service.")
    browser.find_element(By.ID, "age-majeur").click()
    browser.find_element(By.ID, "video").send_keys(str(CLIPS / "cuisine-yanis.mp4"))
    browser.find_element(By.ID, "sousTitres").send_keys(str(CLIPS / "cuisine-yanis.vtt"))
    shoot(browser, "temoignage-soumission")
    browser.find_element(By.CSS_SELECTOR, "main form.bo-form button[type=submit]").click()
    WebDriverWait(browser, 30).until(lambda d: "Le témoignage est soumis" in d.page_source)
    assert browser.find_element(By.ID, "etat").text == "En attente de modération"
    assert "/temoignages/retrait/" in browser.find_element(By.ID, "lien-retrait").text
    assert browser.find_elements(By.CSS_SELECTOR, "video track[kind=captions]")

    # the national administrator opens it from the « à modérer » block: publication is refused without consent
    sign_in(browser, server, "administrateur@cmq.test")
    WebDriverWait(browser, 10).until(lambda d: d.current_url.endswith("/gestion"))
    browser.find_element(By.PARTIAL_LINK_TEXT, TITLE).click()
    page = browser.current_url
    assert re.search(r"/gestion/temoignages/[0-9a-f-]{36}$", page)
    browser.find_element(By.XPATH, "//button[normalize-space()='Publier']").click()
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".error-summary"))
    assert "Consentement manquant" in browser.find_element(By.CSS_SELECTOR, ".error-summary").text
    assert browser.find_element(By.ID, "etat").text == "En attente de modération"

    # the person's consent, confirmed by e-mail, then publication
    Select(browser.find_element(By.ID, "role")).select_by_value("personne")
    fill(browser, "courriel", "yanis.consentement@exemple.fr")
    browser.find_element(By.XPATH, "//button[normalize-space()='Enregistrer le consentement']").click()
    WebDriverWait(browser, 10).until(lambda d: "Le consentement est enregistré" in d.page_source)
    browser.find_element(By.XPATH, "//button[normalize-space()='Publier']").click()
    WebDriverWait(browser, 10).until(lambda d: "Le témoignage est publié" in d.page_source)
    assert browser.find_element(By.ID, "etat").text == "Publié"

    # the gallery shows it; its page's player has its captions track, served as WebVTT
    browser.get(server + "/temoignages")
    browser.find_element(By.PARTIAL_LINK_TEXT, TITLE).click()
    track = browser.find_element(By.CSS_SELECTOR, "video#lecteur track[kind=captions]")
    assert track.get_attribute("srclang") == "fr"
    with urllib.request.urlopen(track.get_attribute("src")) as response:
        assert response.headers["Content-Type"].startswith("text/vtt")
        assert response.read().startswith(b"WEBVTT")
    assert browser.execute_script("return document.querySelector('video#lecteur').textTracks.length") >= 1
    assert browser.find_element(By.ID, "transcription-titre")
    shoot(browser, "temoignage-publie")
