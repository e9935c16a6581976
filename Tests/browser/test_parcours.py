"""Pathways: a campus team signs in, uploads a member's pathways file, and sees the flows (masked); the public sees
the public view."""
import tempfile
from pathlib import Path

from conftest import sign_in
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait


def bea(number: int) -> str:
    """A valid INE-BEA: 10 digits and their check letter (modulo 23, without I, O, Q)."""
    digits = f"{number:010d}"
    return digits + "ABCDEFGHJKLMNPRSTUVWXYZ"[int(digits) % 23]


def test_campus_team_uploads_pathways_and_sees_the_flows(server, browser, shoot):
    # given: a file of the Lycée Condorcet for 2025-2026, one line with a malformed INE (line 3)
    lines = ["ine;annee_scolaire;uai;code_formation;statut;issue"]
    lines += [f"{bea(n)};2025-2026;0020079A;40022503;scolaire;poursuite" for n in range(1, 31)]
    bad = list(lines)
    bad[2] = "12345;2025-2026;0020079A;40022503;scolaire;poursuite"
    folder = Path(tempfile.mkdtemp(prefix="cmq-parcours-"))
    (folder / "faux.csv").write_text("\n".join(bad) + "\n", encoding="utf-8")
    (folder / "parcours.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")

    sign_in(browser, server, "equipe.metallurgie@cmq.test")
    WebDriverWait(browser, 10).until(lambda d: d.current_url.endswith("/gestion"))
    browser.get(server + "/gestion/parcours")
    Select(browser.find_element(By.ID, "organisation")).select_by_visible_text("Lycée professionnel Condorcet - Lycée des métiers (0020079A)")
    # when: the file with a bad line is refused with its line number, nothing imported
    browser.find_element(By.ID, "fichier").send_keys(str(folder / "faux.csv"))
    browser.find_element(By.CSS_SELECTOR, "form.bo-form button[type=submit]").click()
    summaries = browser.find_elements(By.ID, "erreurs")
    assert summaries, browser.find_element(By.TAG_NAME, "main").text
    summary = summaries[0].text
    assert "ligne 3" in summary and "Rien n'a été enregistré" in summary
    shoot(browser, "parcours-envoi-refuse")
    # then the good file is imported
    Select(browser.find_element(By.ID, "organisation")).select_by_visible_text("Lycée professionnel Condorcet - Lycée des métiers (0020079A)")
    browser.find_element(By.ID, "fichier").send_keys(str(folder / "parcours.csv"))
    browser.find_element(By.CSS_SELECTOR, "form.bo-form button[type=submit]").click()
    notice = browser.find_element(By.CSS_SELECTOR, "p.notice.success").text
    assert "30 étape(s) de parcours 2025-2026" in notice and "en remplacement" in notice  # the demo's file of that year
    shoot(browser, "parcours-envoi")

    # the campus page links to the flows; the flows show, masked, with the diagram and its table
    browser.find_element(By.PARTIAL_LINK_TEXT, "Parcours des apprenants du campus").click()
    WebDriverWait(browser, 10).until(lambda d: "/parcours" in d.current_url)
    page = browser.find_element(By.TAG_NAME, "main").text
    assert "Données de démonstration générées" in page
    assert "vue interne du réseau" in page
    assert "Devenir en 2025-2026 des apprenants de 2024-2025" in page
    assert browser.find_elements(By.CSS_SELECTOR, "figure.flow-figure svg path")
    cells = [cell.text for cell in browser.find_elements(By.CSS_SELECTOR, "td.masked")]
    assert cells and all(text in ("< 5", "secret") for text in cells)
    shoot(browser, "parcours-flux-equipe")

    # the public sees the same campus with the public threshold
    browser.delete_all_cookies()
    browser.get(browser.current_url)
    public = browser.find_element(By.TAG_NAME, "main").text
    assert "vue publique" in public
    assert all(cell.text in ("< 20", "secret") for cell in browser.find_elements(By.CSS_SELECTOR, "td.masked"))
    shoot(browser, "parcours-flux-public")
