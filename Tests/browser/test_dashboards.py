"""The national dashboard: change the indicator, the chart and its table twin agree, the CSV downloads with its schema."""
import csv
import io
import json
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait


def fetch(url):
    with urllib.request.urlopen(url) as response:
        return response.headers.get("Content-Type", ""), response.read().decode("utf-8")


def test_national_dashboard_chart_table_and_csv(server, browser, phone, shoot):
    """A visitor opens /tableau-de-bord from the home page, picks another indicator with the GET form, and reads the
    same figures in the bar chart of the campuses and in its table twin; the map's list and the table by région say
    the same; the CSV behind the link has the table's rows and a Table Schema naming its columns."""
    browser.get(server + "/")
    browser.find_element(By.LINK_TEXT, "Le tableau de bord national").click()
    WebDriverWait(browser, 20).until(lambda d: d.current_url.endswith("/tableau-de-bord"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Tableau de bord national"

    # Change the indicator: « Membres du réseau » (RES-01), computed for every demo campus.
    Select(browser.find_element(By.ID, "tdb-indicateur")).select_by_value("RES-01")
    browser.find_element(By.CSS_SELECTOR, "form.dashboard-filter button[type=submit]").click()
    WebDriverWait(browser, 20).until(lambda d: "indicateur=RES-01" in d.current_url)
    section = browser.find_element(By.ID, "graphique-indicateur-campus")
    svg = section.find_element(By.CSS_SELECTOR, "svg")
    assert svg.get_attribute("role") == "img"
    assert "Membres du réseau" in svg.find_element(By.CSS_SELECTOR, "title").get_attribute("textContent")
    drawn = [t.get_attribute("textContent") for t in svg.find_elements(By.CSS_SELECTOR, "text.chart-value")]
    table = browser.find_element(By.ID, "tableau-indicateur-campus")
    rows = table.find_elements(By.CSS_SELECTOR, "tbody tr")
    values = [row.find_element(By.CSS_SELECTOR, "td").get_attribute("textContent") for row in rows]
    assert rows and drawn == values
    assert "Membres du réseau" in table.find_element(By.TAG_NAME, "caption").get_attribute("textContent")
    assert "données du" in section.find_element(By.TAG_NAME, "figcaption").text
    shoot(browser, "60-tableau-de-bord-national")

    # The CSV of the campuses: the same campuses and values as the table twin, and its schema.
    link = browser.find_element(By.XPATH, "//section[@aria-labelledby='section-indicateur-campus']//a[contains(., 'en CSV')]")
    kind, text = fetch(link.get_attribute("href"))
    assert kind.startswith("text/csv")
    records = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    names = [row.find_element(By.CSS_SELECTOR, "th").get_attribute("textContent") for row in rows]
    assert [r["campus"] for r in records] == names
    assert [r["valeur"] for r in records] == [v.replace("\u00a0", "") if v != "—" else "" for v in values]
    schema_link = browser.find_element(By.XPATH, "//section[@aria-labelledby='section-indicateur-campus']//a[contains(., 'schéma')]")
    _, schema = fetch(schema_link.get_attribute("href"))
    assert [f["name"] for f in json.loads(schema)["fields"]] == list(records[0].keys())

    # The map's list and the table by région give the same totals.
    areas = {a.text: a.find_element(By.XPATH, "..").text for a in browser.find_elements(By.CSS_SELECTOR, "nav.map-index ul:first-of-type a")}
    assert len(areas) == 18
    by_region = browser.find_element(By.ID, "tableau-indicateur-region")
    for row in by_region.find_elements(By.CSS_SELECTOR, "tbody tr"):
        name = row.find_element(By.CSS_SELECTOR, "th").text
        total = row.find_elements(By.CSS_SELECTOR, "td")[1].get_attribute("textContent")
        if total != "—":
            assert areas[name].endswith(": " + str(round(float(total.replace(",", ".").replace("\u00a0", "")))))

    # On a phone, the page does not scroll sideways.
    phone.get(server + "/tableau-de-bord?indicateur=RES-01")
    assert phone.execute_script("return document.documentElement.scrollWidth") <= phone.execute_script("return window.innerWidth") + 1
    shoot(phone, "61-tableau-de-bord-national-telephone")
