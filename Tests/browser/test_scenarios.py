"""The scenarios of the public site and the back-office, as a person would run them."""
import json
import re
import urllib.parse
import urllib.request

from conftest import sign_in
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait


def wait_url(driver, fragment):
    """Waits for a navigation to reach an address containing `fragment` (a regular expression)."""
    try:
        WebDriverWait(driver, 10).until(lambda d: re.search(fragment, d.current_url))
    except Exception:
        heading = driver.find_elements(By.TAG_NAME, "h1")
        raise AssertionError(f"expected an address matching {fragment!r}, still on {driver.current_url} "
                             f"({heading[0].text if heading else 'no heading'})")


def api(server, path):
    with urllib.request.urlopen(server + path) as response:
        return json.load(response)


def uai_check_letter(digits: str) -> str:
    return "ABCDEFGHJKLMNPRSTUVWXYZ"[int(digits) % 23]


def test_home_page(server, browser, shoot):
    browser.get(server + "/")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
    assert browser.find_element(By.TAG_NAME, "h1").text == "Les campus des métiers et des qualifications"
    assert browser.find_element(By.CSS_SELECTOR, "svg.map")
    assert len(browser.find_elements(By.CSS_SELECTOR, "svg.map a.area-link")) == 18
    assert "Pays de la Loire" in browser.find_element(By.ID, "par-region").find_element(By.XPATH, "..").text
    shoot(browser, "01-accueil")


def test_map_to_region_then_campus(server, browser, shoot):
    # given: the home page and its map
    browser.get(server + "/")
    # when: the région Pays de la Loire is clicked on the map
    region = browser.find_element(By.CSS_SELECTOR, 'svg.map a.area-link[href="/regions/pays-de-la-loire"]')
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", region)
    region.click()
    # then: its page lists its académie and its campuses
    wait_url(browser, "/regions/pays-de-la-loire$")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Région académique Pays de la Loire"
    shoot(browser, "02-carte-region")
    # when: a campus marker of the map is clicked
    marker = browser.find_element(By.XPATH, '//*[local-name()="svg"]//*[local-name()="a"][contains(@class, "marker")]'
                                            '[*[local-name()="title"]="Aéronautique"]')
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", marker)
    marker.click()
    wait_url(browser, "/campus/[0-9a-f-]{36}$")
    # then: the campus page shows its network and its compliance
    assert browser.find_element(By.TAG_NAME, "h1").text == "Campus des métiers et des qualifications Aéronautique"
    assert "Établissement support" in browser.page_source
    assert browser.find_element(By.ID, "conformite")
    shoot(browser, "03-campus")


def test_keyboard_only_reaches_a_campus_in_three_steps(server, browser):
    browser.get(server + "/")
    body = browser.find_element(By.TAG_NAME, "body")
    # 1. the skip link is the first stop of the keyboard
    body.send_keys(Keys.TAB)
    assert browser.switch_to.active_element.text == "Aller au contenu"
    # 2. the "Campus" menu entry, activated with Enter
    for _ in range(10):
        browser.switch_to.active_element.send_keys(Keys.TAB)
        if (browser.switch_to.active_element.get_attribute("href") or "").endswith("/campus"):
            break
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    wait_url(browser, "/campus$")
    # 3. the first campus of the list, reached with Tab and opened with Enter
    for _ in range(40):
        browser.switch_to.active_element.send_keys(Keys.TAB)
        href = browser.switch_to.active_element.get_attribute("href") or ""
        if re.search(r"/campus/[0-9a-f]{8}-", href):
            break
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    wait_url(browser, "/campus/[0-9a-f-]{36}$")
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("Campus des métiers et des qualifications")


def test_phone_home_to_campus_in_three_clicks(server, phone, shoot):
    phone.get(server + "/")
    assert phone.execute_script("return document.documentElement.scrollWidth") <= 360 + 1, "no horizontal scrolling on a phone"
    shoot(phone, "04-accueil-telephone")
    # On a phone the main menu is folded behind "Menu" (a <details>: no script needed).
    assert not phone.find_element(By.CSS_SELECTOR, 'nav.main-nav ul.nav-wide a[href="/campus"]').is_displayed()
    phone.find_element(By.CSS_SELECTOR, "nav.main-nav details.nav-menu summary").click()
    phone.find_element(By.CSS_SELECTOR, 'nav.main-nav details.nav-menu a[href="/campus"]').click()
    wait_url(phone, "/campus$")
    card = phone.find_element(By.CSS_SELECTOR, "ul.cards li.card h2 a")
    name = card.text
    card.click()
    wait_url(phone, "/campus/[0-9a-f-]{36}$")
    assert phone.find_element(By.TAG_NAME, "h1").text == f"Campus des métiers et des qualifications {name}"
    assert phone.execute_script("return document.documentElement.scrollWidth") <= 360 + 1
    shoot(phone, "05-campus-telephone")


def test_filter_campus_list_by_filiere(server, browser, shoot):
    browser.get(server + "/campus")
    Select(browser.find_element(By.ID, "f-filiere")).select_by_visible_text("Infrastructures, bâtiment, éco-construction")
    browser.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
    wait_url(browser, "filiere=batiment-eco-construction")
    names = sorted(e.text for e in browser.find_elements(By.CSS_SELECTOR, "ul.cards li.card h2"))
    expected = sorted(c["nom"] for c in api(server, "/api/v1/campus?filiere=batiment-eco-construction&per=100")["items"])
    assert names == expected and len(names) >= 2
    assert all("Infrastructures, bâtiment, éco-construction" in e.text for e in browser.find_elements(By.CSS_SELECTOR, "ul.cards li.card"))
    shoot(browser, "06-liste-filtree")


def test_create_organisation_with_invalid_then_valid_uai(server, browser, shoot):
    name = "Lycée des métiers de la mer Éric Tabarly (test navigateur)"
    query = "/api/v1/organisations?" + urllib.parse.urlencode({"q": "test navigateur"})
    assert api(server, query)["total"] == 0
    # given: the national administrator, signed in, on the creation form
    sign_in(browser, server, "administrateur@cmq.test")
    wait_url(browser, "/gestion$")
    browser.get(server + "/gestion/organisations/nouvelle")
    browser.find_element(By.NAME, "nom").send_keys(name)
    Select(browser.find_element(By.NAME, "type")).select_by_value("lycee-professionnel")
    browser.find_element(By.NAME, "uai").send_keys("0010001A")
    # when: submitted with a UAI whose check letter is wrong
    browser.find_element(By.CSS_SELECTOR, "main form[method=post] button[type=submit]").click()
    WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.CSS_SELECTOR, 'input[name="uai"][aria-invalid="true"]')))
    # then: the error is shown next to the field, the values are kept, and nothing is created
    uai = browser.find_element(By.NAME, "uai")
    assert uai.get_attribute("aria-invalid") == "true"
    message = browser.find_element(By.ID, uai.get_attribute("aria-describedby")).text
    assert "lettre attendue est W" in message
    assert browser.find_element(By.NAME, "nom").get_attribute("value") == name
    assert api(server, query)["total"] == 0
    shoot(browser, "07-formulaire-erreur")
    # when: corrected with a valid UAI that nobody holds
    digits = next(d for d in (f"035{n:04d}" for n in range(9000, 9999))
                  if api(server, f"/api/v1/organisations?uai={d}{uai_check_letter(d)}")["total"] == 0)
    valid = digits + uai_check_letter(digits)
    uai.clear()
    uai.send_keys(valid)
    browser.find_element(By.CSS_SELECTOR, "main form[method=post] button[type=submit]").click()
    wait_url(browser, "/organisations/[0-9a-f-]{36}$")
    # then: the organisation exists and its page shows it
    assert "/organisations/" in browser.current_url
    assert browser.find_element(By.TAG_NAME, "h1").text == name
    assert valid in browser.page_source
    assert api(server, query)["total"] == 1
    shoot(browser, "08-organisation-creee")

    # and the audit trail shows who created it, with its fields
    browser.get(server + "/gestion/journal?" + urllib.parse.urlencode({"q": "test navigateur"}))
    journal = browser.find_element(By.CSS_SELECTOR, "table.audit").text
    assert "administrateur@cmq.test" in journal and "Création" in journal and valid in journal
    shoot(browser, "09-journal")


def test_each_role_sees_what_it_may_do(server, browser, shoot):
    campus = api(server, "/api/v1/campus?q=metallurgie")["items"][0]
    other = api(server, "/api/v1/campus?q=aeronautique")["items"][0]
    campus_url = f"{server}/campus/{campus['id'].lower()}"
    # the public: no back-office links, and the back-office asks to sign in
    browser.get(campus_url)
    assert not browser.find_elements(By.CSS_SELECTOR, "nav.admin-links")
    browser.get(server + "/gestion/campus/nouveau")
    wait_url(browser, "/connexion")
    # the campus team: may edit its campus, not create one nor touch another campus
    sign_in(browser, server, "equipe.metallurgie@cmq.test")
    wait_url(browser, "/gestion$")
    browser.get(campus_url)
    links = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "nav.admin-links a")]
    assert links == ["Modifier", "Gérer le réseau"]
    shoot(browser, "10-equipe-campus")
    browser.get(f"{server}/gestion/campus/{other['id'].lower()}/modifier")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Action interdite"
    assert "Vous ne pouvez agir que sur votre campus." in browser.page_source
    browser.get(server + "/gestion/campus/nouveau")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Action interdite"


def test_national_administrator_decides_a_dossier(server, browser, shoot):
    # given: the demo dossier of "Énergie et maintenance", every opinion given, waiting for its decision
    sign_in(browser, server, "administrateur@cmq.test")
    wait_url(browser, "/gestion$")
    browser.get(server + "/gestion/dossiers")
    assert "Labels qui expirent dans les douze mois" in browser.page_source
    row = next(a for a in browser.find_elements(By.CSS_SELECTOR, "table a") if a.text == "Énergie et maintenance")
    row.click()
    wait_url(browser, "/gestion/dossiers/[0-9a-f-]{36}$")
    steps = [li.text for li in browser.find_elements(By.CSS_SELECTOR, "ol.timeline li")]
    assert steps[-1].startswith("en cours") and all(step.startswith("fait") for step in steps[:-1])
    shoot(browser, "11-dossier-decision")
    # when: a wrong NOR is refused on the page, then the decision is taken for 5 years
    # nothing is chosen in advance: the decision rests on the opinions and the expertise shown above it
    assert not browser.find_element(By.ID, "dec-oui").is_selected() and not browser.find_element(By.ID, "dec-non").is_selected()
    assert browser.find_element(By.ID, "avis").location["y"] < browser.find_element(By.ID, "form-decision").location["y"]
    browser.find_element(By.ID, "dec-oui").click()
    browser.find_element(By.ID, "dec-nor").send_keys("MEN13")
    browser.find_element(By.CSS_SELECTOR, "form[action$='/decision'] button[type=submit]").click()
    WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".error-summary")))
    assert "NOR" in browser.find_element(By.CSS_SELECTOR, ".error-summary").text
    browser.find_element(By.ID, "dec-nor").clear()
    browser.find_element(By.ID, "dec-nor").send_keys("MENE2612345A")
    browser.find_element(By.ID, "dec-oui").click()
    Select(browser.find_element(By.ID, "dec-duree")).select_by_value("5")
    browser.find_element(By.CSS_SELECTOR, "form[action$='/decision'] button[type=submit]").click()
    WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.CSS_SELECTOR, "p.notice")))
    # then: the dossier is decided, and the campus shows its label
    assert "Labellisé" in browser.find_element(By.CSS_SELECTOR, "header.dossier-header").text
    assert "MENE2612345A" in browser.page_source
    # the dossier prints without menus nor forms
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    assert not browser.find_element(By.CSS_SELECTOR, "header.site-header").is_displayed()
    shoot(browser, "12-dossier-imprime")
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    browser.find_element(By.LINK_TEXT, "Énergie et maintenance").click()
    wait_url(browser, "/campus/[0-9a-f-]{36}$")
    assert "Labellisé jusqu'au" in browser.find_element(By.CSS_SELECTOR, "dl.facts").text


def test_member_books_a_platform_and_the_campus_team_accepts(server, browser, phone, shoot, inbox):
    import datetime
    name = "Atelier composites (scénario navigateur)"
    campus = api(server, "/api/v1/campus?q=metallurgie")["items"][0]
    campus_url = f"{server}/campus/{campus['id'].lower()}"
    # given: the campus team adds a platform of the LEGT Condorcet from the campus page
    sign_in(browser, server, "equipe.metallurgie@cmq.test")
    wait_url(browser, "/gestion$")
    browser.get(campus_url)
    browser.find_element(By.LINK_TEXT, "Ajouter un plateau technique").click()
    wait_url(browser, "/gestion/plateaux/nouveau")
    browser.find_element(By.NAME, "nom").send_keys(name)
    Select(browser.find_element(By.NAME, "organisationId")).select_by_visible_text("Lycée d'enseignement général et technologique Condorcet")
    browser.find_element(By.NAME, "description").send_keys("Autoclave et salle de drapage partagés avec le réseau.")
    browser.find_element(By.NAME, "equipements").send_keys("Autoclave ; Composites ; 1 ; oui\nTable de drapage ; Composites ; 2 ; non")
    browser.find_element(By.CSS_SELECTOR, "main form[method=post] button[type=submit]").click()
    wait_url(browser, r"/plateaux/[0-9a-f-]{36}\?fait=cree")
    platform_url = browser.current_url.split("?")[0]
    assert browser.find_element(By.TAG_NAME, "h1").text == name
    browser.delete_all_cookies()

    # when: the member of the lycée Condorcet books the autoclave on a Tuesday, 09:00–11:00
    day = datetime.date.today() + datetime.timedelta(days=3)
    while day.weekday() != 1:
        day += datetime.timedelta(days=1)
    sign_in(browser, server, "membre.condorcet@cmq.test")
    wait_url(browser, "/gestion$")
    browser.get(campus_url)
    browser.find_element(By.LINK_TEXT, name).click()
    wait_url(browser, "/plateaux/[0-9a-f-]{36}$")
    assert "Au nom de Lycée professionnel Condorcet" in browser.find_element(By.ID, "reserver").find_element(By.XPATH, "..").text
    Select(browser.find_element(By.ID, "champ-equipement")).select_by_visible_text("Autoclave (formation à la sécurité requise)")
    Select(browser.find_element(By.NAME, "objet")).select_by_visible_text("Formation")
    browser.find_element(By.NAME, "participants").send_keys("12")
    for field, value in (("jour", day.isoformat()), ("debut", "09:00"), ("fin", "11:00")):
        browser.execute_script("arguments[0].value = arguments[1]", browser.find_element(By.NAME, field), value)
    submit = browser.find_element(By.CSS_SELECTOR, "section.booking button[type=submit]")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", submit)
    # without the safety confirmation, the page says why and keeps the values
    submit.click()
    WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.CSS_SELECTOR, "section.booking .error-summary")))
    assert "formation à la sécurité" in browser.find_element(By.CSS_SELECTOR, "section.booking .error-summary").text
    assert browser.find_element(By.NAME, "debut").get_attribute("value") == "09:00"
    checkbox = browser.find_element(By.NAME, "formationSecuriteConfirmee")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", checkbox)
    checkbox.click()
    browser.find_element(By.CSS_SELECTOR, "section.booking button[type=submit]").click()
    wait_url(browser, "fait=demande")
    # then: the week shows the request, anonymous
    assert "Votre demande de réservation est enregistrée" in browser.find_element(By.CSS_SELECTOR, "p.notice").text
    week = browser.find_element(By.CSS_SELECTOR, "table.week").text
    assert "Demande en attente 09:00–11:00 · Autoclave" in week
    browser.delete_all_cookies()

    # when: the campus team accepts it in its back-office
    sign_in(browser, server, "equipe.metallurgie@cmq.test")
    wait_url(browser, "/gestion$")
    # the request waits on the campus team's home, with a link to it
    waiting = next(block for block in browser.find_elements(By.CSS_SELECTOR, ".waiting-block")
                   if "Demandes de réservation à traiter" in block.text)
    assert name in waiting.text and "demandé par Lycée professionnel Condorcet" in waiting.text
    shoot(browser, "13a-gestion-ce-qui-attend")
    browser.find_element(By.LINK_TEXT, "Réservations").click()
    wait_url(browser, "/gestion/reservations$")
    card = next(li for li in browser.find_elements(By.CSS_SELECTOR, "li.card") if name in li.text and "Autoclave" in li.text)
    assert "Lycée professionnel Condorcet" in card.text and "09:00 à 11:00" in card.text
    shoot(browser, "13-reservations-a-traiter")
    accept = card.find_element(By.CSS_SELECTOR, "form[action$='/accepter'] button")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", accept)
    accept.click()
    wait_url(browser, "fait=acceptee")
    assert "La réservation est acceptée." in browser.find_element(By.CSS_SELECTOR, "p.notice").text
    assert name in browser.find_element(By.ID, "reservations-liste").find_element(By.XPATH, "..").text

    # then: the member receives the e-mail (read from the SMTP server) and sees the notification
    mail = inbox.wait_for("membre.condorcet@cmq.test", "Réservation acceptée")
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert name in str(mail["Subject"]) and "de 09:00 à 11:00" in text and "/gestion/reservations?" in text
    browser.delete_all_cookies()
    sign_in(browser, server, "membre.condorcet@cmq.test")
    wait_url(browser, "/gestion$")
    browser.get(server + "/compte/notifications")
    assert "Réservation acceptée" in browser.find_element(By.TAG_NAME, "main").text
    shoot(browser, "13b-notifications")

    # then: the week shows the slot taken, to anyone, without who booked it
    browser.delete_all_cookies()
    browser.get(f"{platform_url}?semaine={day.isoformat()}")
    week = browser.find_element(By.CSS_SELECTOR, "table.week").text
    assert "Réservé 09:00–11:00 · Autoclave" in week and "Condorcet" not in week
    shoot(browser, "14-plateau")
    browser.get(campus_url)
    usage = browser.find_element(By.ID, "plateaux-section")
    assert name in usage.text and "Lycée professionnel Condorcet" in usage.text
    browser.execute_script("arguments[0].scrollIntoView()", usage)
    shoot(browser, "15-campus-mutualisation")

    # on a phone: one block per day, no horizontal scrolling
    phone.get(f"{platform_url}?semaine={day.isoformat()}")
    assert phone.execute_script("return document.documentElement.scrollWidth") <= 360 + 1
    assert not phone.find_element(By.CSS_SELECTOR, "td.week-graph").is_displayed()
    shoot(phone, "16-plateau-telephone")
    phone.get(campus_url)
    assert phone.execute_script("return document.documentElement.scrollWidth") <= 360 + 1
    shoot(phone, "17-campus-telephone")


def test_security_headers_and_no_csp_violation(server, browser):
    """Every page carries the security headers, and the Content-Security-Policy refuses nothing cmq's own
    pages need (the fixture checks the console of every page visited here)."""
    for path in ["/", "/campus", "/formations?q=bts", "/regions/hauts-de-france", "/connexion", "/donnees"]:
        with urllib.request.urlopen(server + path) as response:
            assert "default-src 'self'" in response.headers["Content-Security-Policy"]
            assert response.headers["X-Content-Type-Options"] == "nosniff"
        browser.get(server + path)
        assert browser.find_element(By.TAG_NAME, "main")
    # the stylesheet applied: the page is styled, not raw HTML
    browser.get(server + "/")
    assert browser.execute_script("return document.styleSheets.length") >= 1


def test_open_data_page_lists_every_dataset(server, browser, phone, shoot):
    """/donnees lists every dataset with its files, schema and licence; its files download; the campus and
    formation pages carry schema.org JSON-LD that the Content-Security-Policy lets through (the fixture checks
    the console)."""
    browser.get(server + "/donnees")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Données ouvertes"
    headings = [h.text for h in browser.find_elements(By.CSS_SELECTOR, "section.dataset h2")]
    for title in ["Campus des métiers et des qualifications", "Organisations des réseaux des campus", "Réseaux des campus",
                  "Plateaux techniques partagés", "Équipements des plateaux techniques", "Offre de formation"]:
        assert title in headings
    shoot(browser, "18-donnees")
    link = browser.find_element(By.CSS_SELECTOR, "a[href='/api/v1/donnees/campus.csv']")
    with urllib.request.urlopen(server + link.get_attribute("href").replace(server, "")) as response:
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert response.read().decode("utf-8").startswith("id;nom;filiere;")
    catalogue = api(server, "/api/v1/donnees/catalogue.jsonld")
    assert catalogue["@type"] == "dcat:Catalog"
    # JSON-LD on a campus page and a formation page, parsed as a search engine would
    campus = api(server, "/api/v1/campus?per=1")["items"][0]
    browser.get(f"{server}/campus/{campus['id']}")
    data = json.loads(browser.find_element(By.CSS_SELECTOR, "script[type='application/ld+json']").get_attribute("textContent"))
    assert data["@type"] == "EducationalOrganization"
    formation = api(server, "/api/v1/formations?per=1")["items"][0]
    browser.get(f"{server}/formations/{formation['id']}")
    data = json.loads(browser.find_element(By.CSS_SELECTOR, "script[type='application/ld+json']").get_attribute("textContent"))
    assert data["@type"] == "EducationalOccupationalProgram"
    # on a phone, no horizontal scrolling
    phone.get(server + "/donnees")
    assert phone.execute_script("return document.documentElement.scrollWidth") <= 360 + 1
