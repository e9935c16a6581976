"""The iCalendar feeds of the platforms, read by a real parser (Python's icalendar), as calendar programs do."""
import json
import urllib.request

import icalendar
from conftest import sign_in
from selenium.webdriver.support.ui import WebDriverWait


def fetch(url, cookies=None):
    request = urllib.request.Request(url)
    if cookies:
        request.add_header("Cookie", "; ".join(f"{c['name']}={c['value']}" for c in cookies))
    with urllib.request.urlopen(request) as response:
        return response.headers.get("Content-Type", ""), response.read()


def demo_platform(server, name):
    _, body = fetch(server + "/api/v1/plateaux")
    return next(p for p in json.loads(body) if p["nom"] == name)


def events(feed):
    calendar = icalendar.Calendar.from_ical(feed)
    assert calendar["VERSION"] == "2.0"
    assert "cmq" in str(calendar["PRODID"])
    return [component for component in calendar.walk() if component.name == "VEVENT"]


def test_public_feed_parses_and_names_nobody(server):
    plateau = demo_platform(server, "Pôle productique Condorcet")
    content_type, feed = fetch(server + plateau["calendrier"])
    assert content_type.startswith("text/calendar")
    found = events(feed)
    # The demo's half-year of bookings, from three months ago: dozens of events.
    assert len(found) > 40
    for event in found:
        assert str(event["UID"]).endswith("@cmq")
        assert event.decoded("DTSTART") < event.decoded("DTEND")
        assert event.decoded("DTSTART").tzinfo is not None
        assert str(event["STATUS"]) in {"TENTATIVE", "CONFIRMED", "CANCELLED"}
        assert str(event["SUMMARY"]) == "Réservé"
    text = feed.decode("utf-8")
    assert "Lycée" not in text and "Valeo" not in text
    # Lines are folded at 75 octets, with CRLF.
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))


def test_owner_feed_shows_who_booked_and_why(server, browser):
    plateau = demo_platform(server, "Pôle productique Condorcet")
    sign_in(browser, server, "membre.condorcet@cmq.test")
    # Signed in once the form has led away from /connexion: the session cookie is then set.
    WebDriverWait(browser, 10).until(lambda driver: "/connexion" not in driver.current_url)
    _, feed = fetch(server + plateau["calendrier"], cookies=browser.get_cookies())
    found = events(feed)
    summaries = {str(event["SUMMARY"]) for event in found}
    assert any("Valeo" in summary for summary in summaries), summaries
    descriptions = " ".join(str(event.get("DESCRIPTION", "")) for event in found)
    assert "Objet : Prototype d'entreprise" in descriptions
    assert "Plateau : Pôle productique Condorcet" in descriptions
    # The organisation's own feed: its bookings and those of its platforms.
    _, organisation_feed = fetch(f"{server}/api/v1/organisations/{plateau['organisationId'].lower()}/calendrier.ics", cookies=browser.get_cookies())
    assert len(events(organisation_feed)) >= len(found)
