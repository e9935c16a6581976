"""Browser tests of cmq: headless Chromium driven by Selenium against a real `cmq serve`.

The server runs the built binary on a temporary SQLite database (the demo data loads on first start)
and a free loopback port. Screenshots go to CMQ_SCREENSHOTS (default: a temporary folder), printed at start.
"""
import base64
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

os.environ.setdefault("SE_OFFLINE", "true")
from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
# The demo accounts' password for this run (cmq prints random ones otherwise).
DEMO_PASSWORD = "scenario-navigateur-" + os.urandom(6).hex()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cmq_binary() -> Path:
    explicit = os.environ.get("CMQ_BIN")
    if explicit:
        return Path(explicit)
    bin_path = subprocess.run(["swift", "build", "--show-bin-path"], cwd=REPO, check=True,
                              capture_output=True, text=True).stdout.strip()
    return Path(bin_path) / "cmq"


@pytest.fixture(scope="session")
def screenshots() -> Path:
    folder = Path(os.environ.get("CMQ_SCREENSHOTS") or tempfile.mkdtemp(prefix="cmq-screenshots-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nCaptures d'écran : {folder}")
    return folder


class Inbox:
    """The messages a real SMTP server (aiosmtpd) received during the run."""
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        import email
        from email import policy
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 OK"

    def wait_for(self, recipient: str, subject_part: str, timeout: float = 60):
        """The first message to `recipient` whose subject holds `subject_part` (cmq's worker sends every 15 s)."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            for recipients, message in self.messages:
                if recipient in recipients and subject_part in str(message["Subject"]):
                    return message
            time.sleep(0.5)
        raise AssertionError(f"no e-mail to {recipient} about « {subject_part} »: {[(r, str(m['Subject'])) for r, m in self.messages]}")


@pytest.fixture(scope="session")
def inbox():
    from aiosmtpd.controller import Controller
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    handler.port = controller.port
    yield handler
    controller.stop()


@pytest.fixture(scope="session")
def server(inbox):
    binary = cmq_binary()
    assert binary.exists(), f"build cmq first ({binary} is missing)"
    workdir = Path(tempfile.mkdtemp(prefix="cmq-browser-"))
    port = free_port()
    env = dict(os.environ, DATABASE_URL=f"sqlite:{workdir / 'cmq.sqlite'}", PORT=str(port), HOST="127.0.0.1", LOG_LEVEL="warning",
               CMQ_DEMO_PASSWORD=DEMO_PASSWORD, CMQ_SMTP_URL=f"smtp://127.0.0.1:{inbox.port}", CMQ_MAIL_FROM="cmq@cmq.test",
               CMQ_PUBLIC_URL=f"http://127.0.0.1:{port}", CMQ_PSEUDONYM_KEY="cle-des-parcours-pour-les-scenarios-du-navigateur")
    log = open(workdir / "serve.log", "w")
    # Started from another directory than the repository: resources must come from the bundle.
    process = subprocess.Popen([str(binary), "serve"], cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 180
    while time.time() < deadline:
        try:
            urllib.request.urlopen(base + "/", timeout=2)
            break
        except Exception:
            if process.poll() is not None:
                raise RuntimeError(f"cmq serve stopped: {(workdir / 'serve.log').read_text()}")
            time.sleep(0.5)
    else:
        process.kill()
        raise RuntimeError("cmq serve did not answer in time")
    yield base
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()
    shutil.rmtree(workdir, ignore_errors=True)


def make_driver(width: int, height: int, mobile: bool = False):
    options = webdriver.ChromeOptions()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium:
        options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", f"--window-size={width},{height}", "--lang=fr-FR"):
        options.add_argument(argument)
    if mobile:
        # A desktop window cannot be narrower than about 500 px: emulate the phone's viewport instead.
        options.add_experimental_option("mobileEmulation", {"deviceMetrics": {"width": width, "height": height, "pixelRatio": 2}})
    # The console's messages, to check that the Content-Security-Policy refuses nothing on cmq's pages.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(shutil.which("chromedriver")) if shutil.which("chromedriver") else Service()
    driver = webdriver.Chrome(service=service, options=options)
    driver.implicitly_wait(2)
    return driver


def csp_violations(driver) -> list:
    """The console messages of the pages visited that report a Content-Security-Policy refusal."""
    return [entry["message"] for entry in driver.get_log("browser")
            if "Content Security Policy" in entry["message"] or "Refused to" in entry["message"]]


@pytest.fixture
def browser():
    driver = make_driver(1280, 900)
    yield driver
    violations = csp_violations(driver)
    driver.quit()
    assert not violations, f"CSP violations: {violations}"


@pytest.fixture
def phone():
    driver = make_driver(360, 740, mobile=True)
    yield driver
    violations = csp_violations(driver)
    driver.quit()
    assert not violations, f"CSP violations: {violations}"


@pytest.fixture
def shoot(screenshots):
    """Saves a full-page screenshot of the current page."""
    def take(driver, name: str):
        size = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
        clip = {"x": 0, "y": 0, "width": size["width"], "height": min(size["height"], 6000), "scale": 1}
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip})
        path = screenshots / f"{name}.png"
        path.write_bytes(base64.b64decode(shot["data"]))
        print(f"  capture : {path}")
        return path
    return take


def sign_in(driver, base: str, email: str):
    """Signs in through the form, as a person would."""
    from selenium.webdriver.common.by import By
    driver.get(base + "/connexion")
    driver.find_element(By.ID, "email").send_keys(email)
    driver.find_element(By.ID, "motDePasse").send_keys(DEMO_PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "main form[method=post] button[type=submit]").click()
