"""Actions and events (issue 20): a campus team publishes an open day, a parent finds it by département and by
postcode and registers (the confirmation e-mail carries the cancellation link), the team sees the registration, and
records the participation of an action once it has taken place; the actions' iCalendar feeds (campus, région,
national) are read by a real parser (Python's icalendar)."""
import datetime
import json
import re
import urllib.request

import icalendar
from conftest import sign_in
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait


def fetch(url, cookies=None):
    request = urllib.request.Request(url)
    if cookies:
        request.add_header("Cookie", "; ".join(f"{c['name']}={c['value']}" for c in cookies))
    with urllib.request.urlopen(request) as response:
        return response.headers.get("Content-Type", ""), response.read()


def api(server, path):
    return json.loads(fetch(server + path)[1])


def fill(driver, field_id, text):
    element = driver.find_element(By.ID, field_id)
    element.clear()
    element.send_keys(text)


def create_action(driver, server, title, day, capacity=None):
    """Fills the back-office form as the campus team; returns the new action's id (from the list's anchor)."""
    driver.get(server + "/gestion/actions/nouvelle")
    fill(driver, "champ-titre", title)
    fill(driver, "champ-resume", "Ateliers de productique et de plasturgie, rencontre avec les enseignants et les apprentis.")
    Select(driver.find_element(By.ID, "champ-type")).select_by_value("portes-ouvertes")
    for audience in ("collegiens", "parents"):
        driver.find_element(By.ID, f"champ-public-{audience}").click()
    fill(driver, "champ-horaires", f"{day.isoformat()} 09:00 16:00")
    Select(driver.find_element(By.ID, "champ-lieuType")).select_by_value("organisation")
    place = Select(driver.find_element(By.ID, "champ-organisationLieu"))
    place.select_by_visible_text(next(o.text for o in place.options if "Condorcet" in o.text))
    if capacity:
        Select(driver.find_element(By.ID, "champ-inscription")).select_by_value("cmq")
        fill(driver, "champ-capacite", str(capacity))
    driver.find_element(By.CSS_SELECTOR, "main form.bo-form button[type=submit]").click()
    WebDriverWait(driver, 10).until(lambda d: "fait=cree" in d.current_url)
    return driver.current_url.split("#action-")[1]


def row_of(driver, action_id):
    return driver.find_element(By.XPATH, f'//tbody/tr[th/a[@href="/actions/{action_id}"]]')


def publish(driver, server, action_id):
    driver.get(server + "/gestion/actions")
    row_of(driver, action_id).find_element(By.XPATH, ".//button[normalize-space()='Publier']").click()
    WebDriverWait(driver, 10).until(lambda d: "fait=publie" in d.current_url)


def events(feed):
    calendar = icalendar.Calendar.from_ical(feed)
    assert calendar["VERSION"] == "2.0"
    return [component for component in calendar.walk() if component.name == "VEVENT"]


def test_team_publishes_an_open_day_a_parent_registers_the_team_counts(server, browser, phone, shoot, inbox):
    today = datetime.date.today()
    title = f"Portes ouvertes Condorcet {today.isoformat()}"
    # given: the campus team signed in
    sign_in(browser, server, "equipe.metallurgie@cmq.test")
    WebDriverWait(browser, 10).until(lambda d: "/connexion" not in d.current_url)
    # when: it creates the open day (six weeks ahead, registration in cmq) and publishes it
    action_id = create_action(browser, server, title, today + datetime.timedelta(days=42), capacity=40)
    shoot(browser, "50-gestion-action-creee")
    assert not any(a["id"].lower() == action_id for a in api(server, "/api/v1/actions?per=100")["items"])
    publish(browser, server, action_id)
    action = api(server, f"/api/v1/actions/{action_id}")
    assert action["moderation"] == "publie"
    place = api(server, f"/api/v1/organisations/{action['organisationLieu'].lower()}")
    # the demo's lycée Condorcet is in Saint-Quentin (Aisne): a family types the town's postcode
    assert place["commune"] == "Saint-Quentin" and action["departement"] == "02"
    postcode = place.get("codePostal") or "02100"

    # then: a parent (on a phone, not signed in) finds it on /actions by département, then by postcode
    phone.get(server + "/actions")
    fill(phone, "f-departement", action["departement"])
    phone.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
    WebDriverWait(phone, 10).until(lambda d: "departement=02" in d.current_url)
    assert phone.find_element(By.LINK_TEXT, title)
    phone.get(server + "/actions")
    fill(phone, "f-cp", postcode)
    phone.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
    WebDriverWait(phone, 10).until(lambda d: f"cp={postcode}" in d.current_url)
    assert phone.find_element(By.LINK_TEXT, title)
    shoot(phone, "51-actions-par-code-postal")
    # and on the map: the point is named in the list beside the drawing
    phone.find_element(By.CSS_SELECTOR, "nav.view-switch").find_element(By.LINK_TEXT, "Carte").click()
    assert phone.find_element(By.CSS_SELECTOR, "nav.map-index").find_element(By.PARTIAL_LINK_TEXT, title)
    shoot(phone, "52-actions-carte")
    phone.get(server + "/actions")
    fill(phone, "f-cp", postcode)
    phone.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
    WebDriverWait(phone, 10).until(lambda d: f"cp={postcode}" in d.current_url)
    phone.find_element(By.LINK_TEXT, title).click()
    # she registers for two people
    fill(phone, "champ-nom", "Claire Lefèvre")
    fill(phone, "champ-courriel", "claire.lefevre@example.fr")
    Select(phone.find_element(By.ID, "champ-categorie")).select_by_value("parent")
    fill(phone, "champ-personnes", "2")
    phone.find_element(By.XPATH, "//button[normalize-space()=\"S'inscrire\"]").click()
    WebDriverWait(phone, 10).until(lambda d: "/actions/inscriptions/ins_" in d.current_url)
    assert "Votre inscription est enregistrée" in phone.page_source
    token = re.search(r"/actions/inscriptions/(ins_[a-z2-7]+)", phone.current_url).group(1)
    shoot(phone, "53-inscription-enregistree")
    # the confirmation e-mail carries the cancellation link
    mail = inbox.wait_for("claire.lefevre@example.fr", "Inscription confirmée")
    body = mail.get_body(preferencelist=("plain",)).get_content()
    assert "Bonjour Claire Lefèvre" in body and f"{server}/actions/inscriptions/{token}" in body

    # the team sees the registration in its list and in the CSV
    browser.get(server + "/gestion/actions")
    assert row_of(browser, action_id).find_element(By.XPATH, "./td[@data-label='Inscrits']").text == "2 / 40"
    _, csv = fetch(f"{server}/gestion/actions/{action_id}/inscriptions.csv", cookies=browser.get_cookies())
    assert "Claire Lefèvre" in csv.decode("utf-8") and "claire.lefevre@example.fr" in csv.decode("utf-8")

    # an open day that took place three days ago: the team publishes it and records who came
    past_title = f"Portes ouvertes passées {today.isoformat()}"
    past_id = create_action(browser, server, past_title, today - datetime.timedelta(days=3))
    publish(browser, server, past_id)
    row_of(browser, past_id).find_element(By.LINK_TEXT, "Participation").click()
    fill(browser, "champ-participants-collegiens", "48")
    fill(browser, "champ-participants-parents", "21")
    fill(browser, "champ-etablissements", "Collège Jean Moulin\nCollège Gabriel Hanotaux")
    fill(browser, "champ-bilan", "Ateliers pleins toute la matinée.")
    browser.find_element(By.CSS_SELECTOR, "main form.bo-form button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda d: "/participation" not in d.current_url)
    assert row_of(browser, past_id).find_element(By.XPATH, "./td[@data-label='Participants']").text == "69"
    shoot(browser, "54-gestion-participation")
    browser.get(server + "/actions/archives")
    browser.find_element(By.LINK_TEXT, past_title).click()
    assert "69 participants" in browser.page_source

    # the feeds: campus, région and national, read by icalendar
    campus_id = action["campusId"].lower()
    uid = f"action-{action_id}-1@cmq"
    for query in (f"?campus={campus_id}", "?region=32", ""):
        content_type, feed = fetch(f"{server}/actions/calendrier.ics{query}")
        assert content_type.startswith("text/calendar")
        found = {str(event["UID"]): event for event in events(feed)}
        assert uid in found, query
        event = found[uid]
        assert str(event["SUMMARY"]) == title
        assert event.decoded("DTSTART").tzinfo is not None and event.decoded("DTSTART") < event.decoded("DTEND")
        assert all(str(e["UID"]).endswith("@cmq") for e in found.values())
        assert all(len(line.encode("utf-8")) <= 75 for line in feed.decode("utf-8").split("\r\n"))
    _, other = fetch(f"{server}/actions/calendrier.ics?region=84")
    assert uid not in {str(event["UID"]) for event in events(other)}
    # « Ajouter à mon agenda »: the action's own file
    _, single = fetch(f"{server}/actions/{action_id}/agenda.ics")
    assert [str(event["UID"]) for event in events(single)] == [uid]
