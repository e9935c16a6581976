"""cmq as a national service: two instances on one PostgreSQL behind nginx, with the very nginx configuration of
docs/deploiement/nginx.conf (only its ports, addresses and certificate paths replaced).

Needs CMQ_BIN (the built binary), CMQ_TEST_POSTGRES_URL (a PostgreSQL whose role may create databases), nginx,
openssl and PyPI's prometheus-client; `.ci/run` installs them. Run: python3 -m pytest Tests/ops -q
"""
import http.client
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

REPO = Path(__file__).resolve().parents[2]
METRICS_TOKEN = "jeton-des-metriques-ops-0123456789"
DEMO_PASSWORD = "ops-" + os.urandom(6).hex()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def psql(url: str, sql: str) -> str:
    return subprocess.run(["psql", url, "-tAc", sql], check=True, capture_output=True, text=True).stdout.strip()


def database_url(base: str, name: str) -> str:
    parts = urllib.parse.urlsplit(base)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


class Instance:
    """One `cmq serve` on its own port, logging JSON lines to a file."""

    def __init__(self, binary: Path, workdir: Path, url: str, name: str):
        self.binary, self.workdir, self.url, self.name = binary, workdir, url, name
        self.port = free_port()
        self.log = workdir / f"{name}.log"
        self.process = None

    def start(self):
        env = dict(os.environ, DATABASE_URL=self.url, HOST="127.0.0.1", PORT=str(self.port), LOG_FORMAT="json",
                   LOG_LEVEL="info", CMQ_DEMO="true", CMQ_DEMO_PASSWORD=DEMO_PASSWORD, CMQ_TRUSTED_PROXIES="127.0.0.1",
                   CMQ_METRICS_TOKEN=METRICS_TOKEN, CMQ_SHUTDOWN_TIMEOUT="10")
        self.process = subprocess.Popen([str(self.binary), "serve"], cwd=self.workdir, env=env,
                                        stdout=open(self.log, "ab"), stderr=subprocess.STDOUT)

    def wait_ready(self, seconds: float = 240):
        deadline = time.time() + seconds
        while time.time() < deadline:
            assert self.process.poll() is None, f"{self.name} stopped: {self.log.read_text()[-3000:]}"
            try:
                status, _, _ = get("127.0.0.1", self.port, "/sante/pret", tls=False)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise AssertionError(f"{self.name} not ready after {seconds} s: {self.log.read_text()[-3000:]}")

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=60)

    def log_lines(self):
        lines = []
        for raw in self.log.read_text(errors="replace").splitlines():
            try:
                lines.append(json.loads(raw))
            except ValueError:
                pass  # the demo accounts' table and progress bars are printed as text
        return lines


def request(method, host, port, path, *, tls=True, headers=None, body=None, source=None, timeout=30):
    context = ssl._create_unverified_context() if tls else None
    source_address = (source, 0) if source else None
    if tls:
        connection = http.client.HTTPSConnection(host, port, timeout=timeout, context=context, source_address=source_address)
    else:
        connection = http.client.HTTPConnection(host, port, timeout=timeout, source_address=source_address)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict((k.lower(), v) for k, v in response.getheaders()), response.read()
    finally:
        connection.close()


def get(host, port, path, **kwargs):
    return request("GET", host, port, path, **kwargs)


@pytest.fixture(scope="module")
def deployment():
    binary = Path(os.environ.get("CMQ_BIN") or "")
    base = os.environ.get("CMQ_TEST_POSTGRES_URL")
    if not base or not binary.is_file():
        pytest.fail("CMQ_BIN and CMQ_TEST_POSTGRES_URL are required (see .ci/run)")
    if shutil.which("nginx") is None:
        pytest.fail("nginx is required (Debian's nginx; .ci/run installs it)")
    workdir = Path(tempfile.mkdtemp(prefix="cmq-ops-"))
    name = f"cmq_ops_{os.getpid()}"
    psql(base, f"DROP DATABASE IF EXISTS {name}")
    psql(base, f"CREATE DATABASE {name}")
    url = database_url(base, name)
    instances, nginx = [], None
    try:
        # Two `cmq migrate` at once: the advisory lock lets one apply, the other finds nothing left.
        env = dict(os.environ, DATABASE_URL=url, LOG_LEVEL="warning")
        migrations = [subprocess.Popen([str(binary), "migrate"], cwd=workdir, env=env, stdout=subprocess.PIPE,
                                       stderr=subprocess.STDOUT, text=True) for _ in range(2)]
        outputs = [m.communicate(timeout=180)[0] for m in migrations]
        assert [m.returncode for m in migrations] == [0, 0], outputs
        assert sum("aucune migration à appliquer" in o for o in outputs) == 1, outputs

        # Two instances started at once on the empty database: one loads the demo.
        instances = [Instance(binary, workdir, url, "a"), Instance(binary, workdir, url, "b")]
        for instance in instances:
            instance.start()
        for instance in instances:
            instance.wait_ready()

        nginx, ports = start_nginx(workdir, instances)
        yield {"url": url, "instances": instances, "workdir": workdir, **ports}
    finally:
        if nginx is not None:
            nginx.terminate()
            nginx.wait(timeout=20)
        for instance in instances:
            if instance.process and instance.process.poll() is None:
                instance.process.kill()
                instance.process.wait()
        psql(base, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        shutil.rmtree(workdir, ignore_errors=True)


def start_nginx(workdir: Path, instances):
    """docs/deploiement/nginx.conf on loopback ports, with a self-signed certificate."""
    http_port, https_port = free_port(), free_port()
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=cmq.example.fr",
                    "-keyout", str(workdir / "privkey.pem"), "-out", str(workdir / "fullchain.pem")],
                   check=True, capture_output=True)
    conf = (REPO / "docs/deploiement/nginx.conf").read_text()
    replacements = [
        ("127.0.0.1:8081", f"127.0.0.1:{instances[0].port}"),
        ("127.0.0.1:8082", f"127.0.0.1:{instances[1].port}"),
        ("    listen 80;\n", f"    listen 127.0.0.1:{http_port};\n"),
        ("    listen 443 ssl http2;\n", f"    listen 127.0.0.1:{https_port} ssl http2;\n"),
        ("/etc/ssl/cmq/fullchain.pem", str(workdir / "fullchain.pem")),
        ("/etc/ssl/cmq/privkey.pem", str(workdir / "privkey.pem")),
    ]
    for old, new in replacements:
        assert old in conf, f"docs/deploiement/nginx.conf no longer has {old!r}"
        conf = conf.replace(old, new)
    conf = "\n".join(line for line in conf.splitlines() if "[::]" not in line)  # no IPv6 on every CI machine
    (workdir / "cmq.conf").write_text(conf)
    for folder in ["body", "proxy", "fastcgi", "uwsgi", "scgi"]:
        (workdir / "nginx" / folder).mkdir(parents=True, exist_ok=True)
    main = f"""
user root;
worker_processes 1;
pid {workdir}/nginx.pid;
error_log {workdir}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log {workdir}/nginx-access.log;
    client_body_temp_path {workdir}/nginx/body;
    proxy_temp_path {workdir}/nginx/proxy;
    fastcgi_temp_path {workdir}/nginx/fastcgi;
    uwsgi_temp_path {workdir}/nginx/uwsgi;
    scgi_temp_path {workdir}/nginx/scgi;
    include {workdir}/cmq.conf;
}}
"""
    (workdir / "nginx-main.conf").write_text(main)
    subprocess.run(["nginx", "-t", "-c", str(workdir / "nginx-main.conf")], check=True, capture_output=True)
    process = subprocess.Popen(["nginx", "-c", str(workdir / "nginx-main.conf"), "-g", "daemon off;"])
    deadline = time.time() + 20
    while time.time() < deadline:
        try:
            if get("127.0.0.1", https_port, "/sante")[0] == 200:
                break
        except OSError:
            time.sleep(0.2)
    return process, {"http": http_port, "https": https_port}


def test_one_demo_and_every_migration_once(deployment):
    url = deployment["url"]
    assert psql(url, "SELECT COUNT(*) = COUNT(DISTINCT name) FROM _fluent_migrations") == "t"
    # The demo loaded once although both instances started on an empty database.
    assert int(psql(url, "SELECT COUNT(*) FROM campus")) > 0
    assert psql(url, "SELECT COUNT(*) = COUNT(DISTINCT nom) FROM campus") == "t"
    loaded = sum("chargement du jeu de démonstration" in i.log.read_text(errors="replace") for i in deployment["instances"])
    assert loaded == 1


def test_https_only_and_pages_through_nginx(deployment):
    status, headers, _ = get("127.0.0.1", deployment["http"], "/formations", tls=False)
    assert status == 301 and headers["location"].startswith("https://")
    status, headers, body = get("127.0.0.1", deployment["https"], "/")
    assert status == 200 and b"<html" in body
    status, _, body = get("127.0.0.1", deployment["https"], "/api/v1/formations?q=soudure")
    assert status == 200 and json.loads(body)["total"] >= 0


def test_request_id_from_nginx_reaches_the_instance_logs(deployment):
    status, headers, _ = get("127.0.0.1", deployment["https"], "/campus", headers={"X-Request-Id": "essai-ops-42"})
    assert status == 200 and headers["x-request-id"] == "essai-ops-42"
    # Without one, nginx makes one; both instances take their share of the traffic.
    ids = []
    for _ in range(16):
        status, headers, _ = get("127.0.0.1", deployment["https"], "/sante")
        assert status == 200
        ids.append(headers["x-request-id"])
    assert all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids) and len(set(ids)) == 16
    time.sleep(0.5)
    lines = [line for i in deployment["instances"] for line in i.log_lines()]
    ours = [line for line in lines if line.get("request-id") == "essai-ops-42"]
    assert ours and ours[-1]["route"] == "/campus" and ours[-1]["status"] == 200
    served = {i.name: sum(1 for line in i.log_lines() if line.get("request-id") in ids) for i in deployment["instances"]}
    assert served["a"] > 0 and served["b"] > 0, served


def test_metrics_only_on_the_instances_and_parsed_by_prometheus_client(deployment):
    assert get("127.0.0.1", deployment["https"], "/metriques", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})[0] == 404
    for instance in deployment["instances"]:
        status, headers, body = get("127.0.0.1", instance.port, "/metriques", tls=False,
                                    headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
        assert status == 200
        families = {f.name: f for f in text_string_to_metric_families(body.decode())}
        # prometheus-client drops the _total suffix of counters in the family name.
        assert "http_requests" in families and "http_request_duration_seconds" in families
        assert any(s.value >= 1 for s in families["cmq_db_pool_connections"].samples if s.labels.get("state") == "open")
        assert "cmq_outbox_messages" in families and "cmq_db_pool_waiting" in families


def test_readiness_is_for_the_load_balancer_only(deployment):
    assert get("127.0.0.1", deployment["https"], "/sante/pret")[0] == 200
    assert get("127.0.0.1", deployment["https"], "/sante/pret", source="127.0.0.2")[0] == 403
    assert get("127.0.0.1", deployment["https"], "/sante", source="127.0.0.2")[0] == 200


def test_nginx_refuses_bodies_over_cmq_limits(deployment):
    status, _, _ = request("POST", "127.0.0.1", deployment["https"], "/api/v1/formations", body=b"x" * (600 * 1024),
                           headers={"Content-Type": "application/json"})
    assert status == 413


def sign_in(port, source, forwarded_for):
    """A failed sign-in from `source`, with a forged X-Forwarded-For; returns the status."""
    status, headers, body = get("127.0.0.1", port, "/connexion", source=source)
    assert status == 200
    cookie = headers["set-cookie"].split(";")[0]
    csrf = re.search(rb'name="_csrf" value="([^"]+)"', body).group(1).decode()
    form = urllib.parse.urlencode({"_csrf": csrf, "email": "admin@cmq.test", "motDePasse": "mauvais-mot-de-passe", "retour": ""})
    status, _, _ = request("POST", "127.0.0.1", port, "/connexion", body=form, source=source,
                           headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie,
                                    "X-Forwarded-For": forwarded_for})
    return status


def test_the_client_address_is_nginx_s_view_not_the_forged_header(deployment):
    port = deployment["https"]
    # Five failures from 127.0.0.2, each claiming another address: the sixth is still refused for 127.0.0.2.
    statuses = [sign_in(port, "127.0.0.2", f"198.51.100.{n}") for n in range(6)]
    assert 429 not in statuses[:5] and statuses[5] == 429, statuses
    # Another client, same account: not held by the first one's failures.
    assert sign_in(port, "127.0.0.3", "198.51.100.1") != 429


def test_rolling_restart_without_a_failed_request(deployment):
    """Each instance in turn gets SIGTERM (it finishes its requests), restarts and becomes ready; meanwhile a client
    reading through nginx sees only successful answers."""
    port = deployment["https"]
    results, stop = [], threading.Event()

    def client():
        n = 0
        while not stop.is_set():
            n += 1
            try:
                results.append(get("127.0.0.1", port, f"/api/v1/formations?q=cuisine&page={1 + n % 3}")[0])
            except OSError as error:
                results.append(repr(error))

    thread = threading.Thread(target=client)
    thread.start()
    try:
        for instance in deployment["instances"]:
            time.sleep(1)
            assert instance.stop() == 0
            log = instance.log.read_text(errors="replace")
            assert "Arrêt demandé" in log and "les requêtes en cours sont terminées" in log
            instance.start()
            instance.wait_ready()
            # nginx tries a failed instance again after its fail_timeout (3 s): the guide's procedure waits that long.
            time.sleep(4)
    finally:
        stop.set()
        thread.join()
    assert len(results) > 20
    errors = (deployment["workdir"] / "nginx-error.log").read_text(errors="replace")[-3000:]
    assert set(results) == {200}, ([r for r in results if r != 200][:10], errors)


def test_an_instance_that_does_not_know_the_schema_is_not_ready(deployment):
    url, instance = deployment["url"], deployment["instances"][0]
    psql(url, "INSERT INTO _fluent_migrations (id, name, batch, created_at, updated_at) "
              "VALUES (gen_random_uuid(), 'CMQApp.AddSomethingFromTheFuture', 99, now(), now())")
    try:
        status, _, body = get("127.0.0.1", instance.port, "/sante/pret", tls=False)
        assert status == 503
        assert "plus récent" in json.loads(body)["verifications"]["migrations"]["detail"]
        assert any("plus récent" in line.get("message", "") and line.get("level") == "error" for line in instance.log_lines())
        # nginx keeps serving through the instances, which still answer: readiness is for the orchestrator.
        assert get("127.0.0.1", deployment["https"], "/sante")[0] == 200
    finally:
        psql(url, "DELETE FROM _fluent_migrations WHERE name = 'CMQApp.AddSomethingFromTheFuture'")
    assert get("127.0.0.1", instance.port, "/sante/pret", tls=False)[0] == 200
