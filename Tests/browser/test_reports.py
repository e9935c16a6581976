"""The annual activity report, from draft to acknowledgment: the campus team finds it on its back-office home, writes
a section and transmits it; the région finds it waiting, acknowledges it with a comment; the figures stay frozen and
download as CSV."""
import datetime
import urllib.request

from conftest import sign_in
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait


def wait(browser, condition):
    """Waits for a condition on a page that may still be replaced by the next one."""
    WebDriverWait(browser, 15, ignored_exceptions=(StaleElementReferenceException, NoSuchElementException)).until(condition)


def gone(node):
    """Whether a node has left its page: stale, or (while Chrome replaces the document) answered by the inspector error
    "Node with given id does not belong to the document", which Selenium's `staleness_of` does not count as stale."""
    def check(_):
        try:
            node.is_enabled()
            return False
        except StaleElementReferenceException:
            return True
        except WebDriverException as error:
            if "does not belong to the document" in str(error):
                return True
            raise
    return check


def submit(browser, button_text: str):
    """Clicks a form's button and waits until the page it was on is gone (Chrome may otherwise answer a read of the
    old page's nodes with an inspector error that no ignored exception covers)."""
    old_page = browser.find_element(By.TAG_NAME, "main")
    browser.find_element(By.XPATH, f"//button[normalize-space()='{button_text}']").click()
    WebDriverWait(browser, 15).until(gone(old_page))


def school_year() -> str:
    """The school year in progress (September to August), as cmq writes it."""
    today = datetime.date.today()
    start = today.year if today.month >= 9 else today.year - 1
    return f"{start}-{start + 1}"


def test_report_from_draft_to_acknowledgment(server, browser, shoot):
    year = school_year()
    # given: the campus team signed in; its home lists this school year's report (a draft in the demo)
    sign_in(browser, server, "equipe.metallurgie@cmq.test")
    wait(browser, lambda d: d.current_url.endswith("/gestion"))
    main = browser.find_element(By.TAG_NAME, "main").text
    assert "Rapports d'activité à écrire et transmettre" in main
    links = browser.find_elements(By.PARTIAL_LINK_TEXT, f"Rapport d'activité {year}")
    assert links, main
    links[0].click()
    wait(browser, lambda d: f"/rapports/{year}" in d.current_url)
    report_url = browser.current_url
    assert "Brouillon" in browser.find_element(By.CSS_SELECTOR, "p.lead").text

    # when: the team writes the network section and saves, then transmits
    text = browser.find_element(By.ID, "texte-reseau")
    text.clear()
    text.send_keys("Deux entreprises de la plasturgie ont rejoint le réseau cette année.")
    submit(browser, "Enregistrer le brouillon")
    wait(browser, lambda d: "Deux entreprises" in d.find_element(By.ID, "texte-reseau").get_attribute("value"))
    shoot(browser, "rapport-brouillon")
    submit(browser, "Transmettre à la région académique")
    wait(browser, lambda d: "ne changent plus" in d.find_element(By.TAG_NAME, "main").text)
    page = browser.find_element(By.TAG_NAME, "main").text
    assert "Transmis" in browser.find_element(By.CSS_SELECTOR, "p.lead").text
    assert "Deux entreprises de la plasturgie" in page and not browser.find_elements(By.ID, "texte-reseau")
    browser.delete_all_cookies()

    # then: the région finds it waiting on its home and acknowledges it with a comment
    sign_in(browser, server, "region.hauts-de-france@cmq.test")
    wait(browser, lambda d: d.current_url.endswith("/gestion"))
    assert "Rapports d'activité à prendre en compte" in browser.find_element(By.TAG_NAME, "main").text
    browser.find_element(By.PARTIAL_LINK_TEXT, f"Rapport d'activité {year} — Métallurgie et plasturgie").click()
    wait(browser, lambda d: d.current_url == report_url)
    browser.find_element(By.ID, "commentaire").send_keys("Rapport reçu : bel élargissement du réseau.")
    submit(browser, "Prendre en compte le rapport")
    wait(browser, lambda d: "Pris en compte" in d.find_element(By.CSS_SELECTOR, "p.lead").text)
    page = browser.find_element(By.TAG_NAME, "main").text
    assert "Rapport reçu : bel élargissement du réseau." in page
    history = browser.find_element(By.ID, "historique-rapport").find_element(By.XPATH, "..").text
    assert "Transmis" in history and "Pris en compte" in history
    assert not browser.find_elements(By.ID, "commentaire")
    shoot(browser, "rapport-pris-en-compte")

    # the figures download as CSV (the browser's session cookie carries the rights)
    csv_link = browser.find_element(By.PARTIAL_LINK_TEXT, "les chiffres (CSV)").get_attribute("href")
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in browser.get_cookies())
    with urllib.request.urlopen(urllib.request.Request(csv_link, headers={"Cookie": cookie})) as answer:
        body = answer.read().decode("utf-8-sig")
    lines = body.splitlines()
    assert lines[0].startswith("annee_scolaire;statut_rapport;chiffres_figes")
    assert any(";pris-en-compte;oui;" in line and ";RES-01;" in line for line in lines[1:])
