"""The public sees a campus's insertion figures: consolidated, compared, on the quadrant, with the secret respected."""
import json
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait


def api(server, path):
    with urllib.request.urlopen(server + path) as response:
        return json.loads(response.read())


def test_public_sees_a_campus_insertion_figures(server, browser, phone, shoot):
    """From the ranking to a campus: the section « Insertion et poursuite d'études » gives the campus's rates beside
    the région and France, the quadrant drawing with its table twin, and links every figure to its definition;
    a hidden figure shows « effectif insuffisant », never a count; a phone does not scroll sideways."""
    browser.get(server + "/insertion")
    first = browser.find_element(By.CSS_SELECTOR, "table tbody tr th a")
    name = first.text
    first.click()
    section = browser.find_element(By.CSS_SELECTOR, "section[aria-labelledby=insertion]")
    assert section.find_element(By.ID, "insertion").text == "Insertion et poursuite d'études"
    comparison = section.find_element(By.CSS_SELECTOR, "table")
    assert "Campus" in comparison.text and "Région" in comparison.text and "France" in comparison.text
    assert "%" in comparison.text
    # The quadrant: an SVG with a title, and the table that gives the same diplomas.
    svg = section.find_element(By.CSS_SELECTOR, "figure.quadrant svg")
    assert svg.get_attribute("role") == "img"
    assert section.find_element(By.ID, "quadrant-titre")
    rows = section.find_elements(By.XPATH, ".//caption[contains(., 'moyennes de leur région')]/ancestor::table//tbody/tr")
    assert rows
    shoot(browser, "40-campus-insertion")
    # The campus's figures are those of the API; hidden ones carry no count.
    campus_id = browser.current_url.rstrip("/").split("/")[-1]
    figures = api(server, f"/api/v1/insertion/campus/{campus_id}")
    devenir = next(f for f in figures["indicateurs"] if f["indicateur"] == "taux_devenir_favorable")
    assert devenir["statut"] == "publie" and f"{devenir['valeur']} %" in comparison.text
    for diploma in figures["diplomes"]:
        for figure in diploma["indicateurs"]:
            if figure["statut"] != "publie":
                assert "numerateur" not in figure and "denominateur" not in figure
    # Every figure links to its definition.
    section.find_element(By.LINK_TEXT, "Taux de devenir favorable").click()
    WebDriverWait(browser, 20).until(lambda d: "/insertion/definitions" in d.current_url)
    assert "additionne les numérateurs et les dénominateurs" in browser.page_source
    # On a phone, the section scrolls inside its tables, not the page.
    phone.get(f"{server}/campus/{campus_id}")
    assert phone.find_element(By.ID, "insertion")
    assert phone.execute_script("return document.documentElement.scrollWidth") <= phone.execute_script("return window.innerWidth") + 1
    shoot(phone, "41-campus-insertion-telephone")
    assert name
