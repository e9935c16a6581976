"""The public finds a training: one search box for everything, search by place, results first on a phone."""
import json
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys


def api(server, path):
    with urllib.request.urlopen(server + path) as response:
        return json.loads(response.read())


def test_home_box_searches_everything_near_a_place(server, browser, shoot):
    """A parent types a trade and a town in the home page's box: the place is understood, formations come the
    nearest first with their distance and town, then campuses and establishments."""
    browser.get(server + "/")
    box = browser.find_element(By.ID, "recherche")
    box.send_keys("chaudronnerie Saint-Quentin", Keys.ENTER)
    assert "/recherche" in browser.current_url
    assert browser.find_element(By.ID, "lieu").text == "Lieu : Saint-Quentin (02)"
    cards = browser.find_elements(By.CSS_SELECTOR, "section[aria-labelledby=r-formations] li.card")
    assert cards and all("Saint-Quentin" in card.text for card in cards)
    assert "km" in cards[0].text or "m" in cards[0].text
    shoot(browser, "20-recherche-lieu")
    # The link to the whole list keeps the words and the place.
    browser.find_element(By.PARTIAL_LINK_TEXT, "avec les filtres").click()
    assert browser.find_element(By.ID, "f-pres").get_attribute("value") == "Saint-Quentin (02)"
    assert browser.find_element(By.ID, "f-recherche").get_attribute("value") == "chaudronnerie"


def test_phone_shows_results_first_and_folds_filters(server, phone, shoot):
    """On a 390 px phone the first result is on the first screen, the filters wait in a closed "Filtrer"
    disclosure, and nothing scrolls sideways, on the results and on a formation's page."""
    phone.get(server + "/formations?q=mecanique")
    panel = phone.find_element(By.ID, "filtres")
    assert panel.get_attribute("open") is None
    first = phone.find_element(By.CSS_SELECTOR, ".results li.card")
    viewport = phone.execute_script("return window.innerHeight")
    assert first.location["y"] < viewport
    assert phone.execute_script("return document.documentElement.scrollWidth") <= phone.execute_script("return window.innerWidth") + 1
    shoot(phone, "21-formations-telephone")
    panel.find_element(By.TAG_NAME, "summary").click()
    assert panel.get_attribute("open") is not None
    assert panel.find_element(By.CSS_SELECTOR, ".facets a").is_displayed()
    formation = api(server, "/api/v1/formations?q=chaudronnerie&per=1")["items"][0]
    phone.get(f"{server}/formations/{formation['id']}")
    assert phone.execute_script("return document.documentElement.scrollWidth") <= phone.execute_script("return window.innerWidth") + 1
    assert phone.find_element(By.ID, "candidater")
    shoot(phone, "22-formation-telephone")


def test_desktop_opens_filters_and_guides_empty_results(server, browser, shoot):
    """On a wide screen the filters are open (a small script); an empty result offers ways out."""
    browser.get(server + "/formations?q=mecanique")
    assert browser.find_element(By.ID, "filtres").get_attribute("open") is not None
    browser.get(server + "/formations?q=chaudronnerie&pres=Brest&rayon=5")
    ways = [link.text for link in browser.find_elements(By.CSS_SELECTOR, ".empty-state a")]
    assert "Chercher à moins de 10 km de Brest" in ways and "Parcourir toutes les formations" in ways
    shoot(browser, "23-formations-vides")
    browser.get(server + "/formations?pres=Nulle-Part-Sur-Mer")
    assert "Aucune commune" in browser.find_element(By.ID, "f-pres-erreur").text
