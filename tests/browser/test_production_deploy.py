"""Production, deployed the README's way, works in a real browser: the NHS.UK frontend build
(`make assets`) collected into hashed files (`rrp collectstatic --noinput`), the database
migrated, an organisation, ward and person made with the `rrp` commands, a patient and a use of
force recorded through the JSON API, `rrp check --deploy` clean, then gunicorn with
RRP_DEBUG=false behind a TLS-terminating proxy that sets X-Forwarded-Proto. The lead signs in
and every page answers 200 with its hashed stylesheets, scripts and icons, no console or
Content Security Policy error, and passes axe.

Why a proxy, not plain http://127.0.0.1 with an X-Forwarded-Proto header from Playwright:
Chromium keeps the Secure cookies over http://127.0.0.1 (a secure context), but it sends
`Origin: http://...` with the sign-in form, and Django, told by the header that the request is
https, rightly refuses a form whose origin is not https ("Origin checking failed"). So the
browser speaks https to the small proxy below, as to a real one, and the proxy speaks http to
gunicorn with the header, as the README asks of the real one.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import re
import secrets
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

ASSETS = Path(__file__).resolve().parents[2] / "build" / "static"
BIN = Path(sys.executable).parent
LEAD = {"username": "grace", "password": "correct-horse-battery-staple-42", "name": "Grace Mensah"}
NHS_BLUE = "rgb(0, 94, 184)"  # the header's colour in the NHS.UK stylesheet (#005eb8)
HASHED = re.compile(r"\.[0-9a-f]{12}\.\w+$")  # nhsuk-frontend.min.3c34d6554a8f.css


# -- a TLS-terminating proxy, as in front of production ---------------------------------------

# Headers about one connection, not the request (RFC 9110 7.6.1); the proxy sets the lengths.
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "te", "trailer", "upgrade",
              "transfer-encoding"}


class _ForwardToApp(BaseHTTPRequestHandler):
    """One request from the browser, passed to gunicorn over http with X-Forwarded-Proto."""

    server: TlsProxy

    def do_GET(self) -> None:
        self._forward()

    def do_HEAD(self) -> None:
        self._forward()

    def do_POST(self) -> None:
        self._forward()

    def _forward(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        app = http.client.HTTPConnection("127.0.0.1", self.server.app_port, timeout=120)
        try:
            app.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
            for name, value in self.headers.items():
                # A real proxy overwrites what the client claims about the connection.
                if name.lower() not in HOP_BY_HOP | {"x-forwarded-proto", "x-forwarded-for"}:
                    app.putheader(name, value)
            app.putheader("X-Forwarded-Proto", "https")
            app.putheader("X-Forwarded-For", self.client_address[0])
            app.endheaders(body)
            answer = app.getresponse()
            content = answer.read()
        finally:
            app.close()
        self.send_response_only(answer.status, answer.reason)
        for name, value in answer.getheaders():
            if name.lower() not in HOP_BY_HOP | {"content-length"}:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(content)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # gunicorn's log is the one to read


class TlsProxy(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, app_port: int, certificate: Path, key: Path) -> None:
        super().__init__(("127.0.0.1", 0), _ForwardToApp)
        self.app_port = app_port
        self.tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.tls.load_cert_chain(certificate, key)

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.server_address[1]}"

    def finish_request(self, request: Any, client_address: Any) -> None:
        # The TLS handshake happens in the connection's own thread, so a connection Chromium
        # opens ahead and leaves idle cannot hold up the others.
        request.settimeout(60)
        with (
            contextlib.suppress(ssl.SSLError, ConnectionError, TimeoutError),
            self.tls.wrap_socket(request, server_side=True) as connection,
        ):
            self.RequestHandlerClass(connection, client_address, self)


# -- the deployment ----------------------------------------------------------------------------


@dataclass
class Deployment:
    url: str  # the proxy, where a browser reaches production
    app_port: int  # gunicorn itself, behind the proxy
    incident_id: int
    incident_reference: str
    log: Path  # gunicorn's, where a server error's traceback is

    def log_tail(self) -> str:
        return "gunicorn's log ends:\n" + self.log.read_text()[-6000:]


def rrp(env: dict[str, str], *args: str, input: str | None = None) -> str:
    """Run the `rrp` console script as a deployer would; fail with its output if it fails."""
    result = subprocess.run(
        [str(BIN / "rrp"), *args], env=env, input=input, capture_output=True, text=True,
        timeout=300, check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"rrp {' '.join(args)} failed:\n{result.stdout}{result.stderr}", pytrace=False)
    return result.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    certificate, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", str(key), "-out", str(certificate), "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
        capture_output=True, check=True, timeout=60,
    )
    return certificate, key


def wait_until_serving(gunicorn: subprocess.Popen[bytes], port: int, log: Path) -> None:
    """Until gunicorn answers at all (what it answers is for the test to judge)."""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if gunicorn.poll() is not None:
            pytest.fail(f"gunicorn stopped:\n{log.read_text()}", pytrace=False)
        with contextlib.suppress(OSError):
            probe = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            probe.request("GET", "/api/v1/openapi.json", headers={"X-Forwarded-Proto": "https"})
            probe.getresponse().read()
            return
        time.sleep(0.5)
    pytest.fail(f"gunicorn did not answer on port {port}:\n{log.read_text()}", pytrace=False)


def api_post(url: str, token: str, body: dict[str, Any], tls: ssl.SSLContext) -> dict[str, Any]:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, context=tls, timeout=120) as answer:
            return json.load(answer)  # type: ignore[no-any-return]
    except urllib.error.HTTPError as error:
        pytest.fail(f"POST {url} gave {error.code}: {error.read().decode()}", pytrace=False)


def a_restraint(patient_id: int) -> dict[str, Any]:
    """A use of force three hours ago: standing for 4 minutes, then on the side for 6."""
    from benchmarks.writers import restraint

    start = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(hours=3)
    return restraint("OAK", patient_id, start)


@pytest.fixture
def deployment(clean_env: Callable[..., dict[str, str]], tmp_path: Path) -> Iterator[Deployment]:
    """RRP deployed as the README's "Deploying" section says, on SQLite."""
    if not (ASSETS / "nhsuk" / "nhsuk-frontend.min.css").exists():
        pytest.fail(f"{ASSETS} has no NHS.UK frontend build: run make assets", pytrace=False)
    var = tmp_path / "var"
    env = clean_env(
        RRP_DEBUG="false",
        RRP_ASSETS_DIR=str(ASSETS),
        RRP_SECRET_KEY=secrets.token_urlsafe(50),
        RRP_ALLOWED_HOSTS="127.0.0.1,localhost",
        RRP_VAR_DIR=str(var),
        RRP_DATABASE_URL=f"sqlite:///{tmp_path / 'rrp.sqlite3'}",
    )
    rrp(env, "collectstatic", "--noinput")
    assert (var / "static" / "staticfiles.json").exists()
    rrp(env, "migrate", "--verbosity", "0")
    rrp(env, "org", "add", "--ods-code", "R1A", "--name", "Example NHS Trust", "--sector", "nhs")
    rrp(env, "ward", "add", "--org", "R1A", "--code", "OAK", "--name", "Oak Ward", "--beds",
        "18", "--service-type", "adult_acute")
    rrp(env, "user", "add", "--username", LEAD["username"], "--org", "R1A", "--role", "rrp_lead",
        "--name", LEAD["name"], "--password-stdin", input=LEAD["password"] + "\n")
    token = rrp(env, "token", "issue", "--username", LEAD["username"]).strip()
    check = rrp(env, "check", "--deploy", "--fail-level", "WARNING")
    assert "System check identified no issues" in check

    port = free_port()
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as output:
        gunicorn = subprocess.Popen(
            [str(BIN / "gunicorn"), "rrp.config.wsgi", "--workers", "2",
             "--bind", f"127.0.0.1:{port}"],
            env=env, cwd=tmp_path, stdout=output, stderr=subprocess.STDOUT,
        )
    certificate, key = self_signed_certificate(tmp_path)
    proxy = TlsProxy(port, certificate, key)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    try:
        wait_until_serving(gunicorn, port, log)
        tls = ssl.create_default_context(cafile=str(certificate))
        patient = api_post(proxy.url + "/api/v1/patients", token, {
            "local_id": "P1001", "date_of_birth": "1990-05-01", "sex": "male",
            "ethnic_category": "A",
        }, tls)
        incident = api_post(proxy.url + "/api/v1/incidents", token, a_restraint(patient["id"]), tls)
        yield Deployment(url=proxy.url, app_port=port, incident_id=incident["id"],
                         incident_reference=incident["reference"], log=log)
    finally:
        proxy.shutdown()
        proxy.server_close()
        gunicorn.terminate()
        try:
            gunicorn.wait(timeout=30)
        except subprocess.TimeoutExpired:
            gunicorn.kill()
            gunicorn.wait()


# -- what a browser sees -----------------------------------------------------------------------


def browser_problems(page: Page) -> list[str]:
    """Console errors, script errors and failed requests of the page from now on."""
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console: {m.text}") if m.type == "error"
            else None)
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("response", lambda r: problems.append(f"{r.status} for {r.url}") if r.status >= 400
            else None)
    return problems


def assert_served_from_hashed_static_files(page: Page) -> None:
    """Each stylesheet, script and icon the page links to has a hashed name and is served (by
    whitenoise, from what collectstatic wrote) to be cached for good; the NHS.UK styles apply."""
    linked = page.eval_on_selector_all(
        "link[href], script[src]", "elements => elements.map(e => e.href || e.src)"
    )
    static_files = [url for url in linked if "/static/" in url]
    assert len(static_files) >= 8, linked  # 2 stylesheets, 5 icons, the start-up script
    for url in static_files:
        assert HASHED.search(url), f"{url} is not a hashed file name"
        answer = page.request.get(url)
        assert answer.status == 200, f"{url} gave {answer.status}"
        assert "immutable" in answer.headers["cache-control"], url
    header = page.locator("header.nhsuk-header")
    expect(header).to_have_css("background-color", NHS_BLUE)


# The proxy's certificate is made for this test; no authority Chromium knows signed it.
@pytest.mark.browser_context_args(ignore_https_errors=True)
def test_production_serves_every_page_in_the_browser(
    deployment: Deployment, page: Page, checked: Callable[[Page], Page]
) -> None:
    problems = browser_problems(page)

    # Given RRP deployed as the README says, behind a TLS-terminating proxy
    # When the lead opens it, they are asked to sign in
    response = page.goto(deployment.url + "/")
    assert response is not None and response.status == 200, deployment.log_tail()
    assert page.url == deployment.url + "/sign-in/?next=/"
    checked(page)
    assert_served_from_hashed_static_files(page)
    # And they sign in with the form (its CSRF check sees https, and the Secure session cookie
    # comes back)
    page.get_by_label("Username").fill(LEAD["username"])
    page.get_by_label("Password").fill(LEAD["password"])
    with page.expect_navigation() as signed_in:
        page.get_by_role("button", name="Sign in").click()
    assert signed_in.value.status == 200, deployment.log_tail()
    assert page.url == deployment.url + "/"
    checked(page)
    # Then the home page shows them signed in at their organisation
    expect(page.locator("header")).to_contain_text(LEAD["name"])
    expect(page.locator("header")).to_contain_text("Example NHS Trust")
    assert_served_from_hashed_static_files(page)
    cookies = {cookie["name"]: cookie for cookie in page.context.cookies()}
    assert cookies["sessionid"]["secure"] and cookies["csrftoken"]["secure"]

    # And the use of force, a dashboard and the compliance pages open, styled and accessible
    pages = {
        f"/uses-of-force/{deployment.incident_id}/": deployment.incident_reference,
        "/uses-of-force/": deployment.incident_reference,
        "/dashboards/": "Example NHS Trust",
        "/dashboards/wards/OAK/": "Oak Ward",
        "/compliance/": "Example NHS Trust",
        "/compliance/standards/": "3.5.X",
    }
    for path, text in pages.items():
        response = page.goto(deployment.url + path)
        assert response is not None and response.status == 200, (
            f"GET {path} gave {response and response.status}\n{deployment.log_tail()}"
        )
        assert page.url == deployment.url + path
        checked(page)
        expect(page.locator("body")).to_contain_text(text)
        assert_served_from_hashed_static_files(page)

    # And signing out (another form) works too
    page.locator("header").get_by_role("link", name="Sign out").click()
    page.wait_for_url("**/sign-out/")
    checked(page)
    page.locator("main").get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in/")
    checked(page)

    # And nothing went wrong in the browser on the way
    assert problems == [], deployment.log_tail()

    # And gunicorn reached without the proxy's header sends the browser to https
    direct = http.client.HTTPConnection("127.0.0.1", deployment.app_port, timeout=30)
    direct.request("GET", "/sign-in/", headers={"Host": "127.0.0.1"})
    answer = direct.getresponse()
    assert (answer.status, answer.getheader("Location")) == (301, "https://127.0.0.1/sign-in/")
