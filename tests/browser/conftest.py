"""The browser test harness: headless Debian Chromium (/usr/bin/chromium, never a downloaded
browser) driven by pytest-playwright against Django's live server, with an accessibility check
on every page a test visits.

Every page a test lands on must be checked: `visit(path)` opens and checks a page; after a
click or a form submission that loads a new page, call `checked(page)`. A check runs axe for
WCAG 2.0, 2.1 and 2.2 A and AA and fails listing each violation, and fails if the page broke
the Content Security Policy. A test that loads a page and never checks it fails at teardown.

    def test_the_wards_page(visit, sign_in_as):
        sign_in_as("org_admin")
        page = visit("/wards/")
        ...
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, Page

CHROMIUM = Path("/usr/bin/chromium")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]  # axe has no wcag22a rules
NHS_STYLES = Path(__file__).resolve().parents[2] / "build/static/nhsuk/nhsuk-frontend.min.css"
HERE = Path(__file__).resolve().parent
_axe = Axe()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything in tests/browser is a browser test, so `-m "not browser"` leaves it out."""
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


# -- Chromium ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium", pytrace=False)
    if not NHS_STYLES.exists():
        pytest.fail(f"{NHS_STYLES} is missing: run make assets", pytrace=False)
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": [
            "--no-sandbox",  # Chromium refuses to run as root with its sandbox
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}, "locale": "en-GB"}


@pytest.fixture(scope="session", autouse=True)
def _allow_the_orm_beside_playwright() -> Iterator[None]:
    """Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls
    from such a thread unless told the test knows what it is doing."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


# -- checks on every page ----------------------------------------------------------------------


@dataclass
class PageWatch:
    """What a page did that a test must answer for: pages loaded and not yet checked, and
    Content Security Policy violations Chromium reported."""

    unchecked: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    checked_urls: list[str] = field(default_factory=list)


_WATCH_KEY = "_rrp_watch"


def watch_of(page: Page) -> PageWatch:
    return getattr(page, _WATCH_KEY)  # type: ignore[no-any-return]


def assert_accessible(page: Page) -> None:
    """Run axe on the page for WCAG 2.0, 2.1 and 2.2 A and AA; fail listing every violation."""
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS},
                                      "resultTypes": ["violations"]})
    violations = results.response["violations"]
    if violations:
        lines = [f"{len(violations)} accessibility violations on {page.url}:"]
        for violation in violations:
            lines.append(
                f"- {violation['id']} ({violation['impact']}): {violation['help']} "
                f"[{violation['helpUrl']}]"
            )
            for node in violation["nodes"][:10]:
                lines.append(f"    at {' '.join(map(str, node['target']))}: {node['html'][:160]}")
        pytest.fail("\n".join(lines), pytrace=False)


def assert_no_csp_violations(page: Page) -> None:
    found = watch_of(page).csp_violations
    if found:
        pytest.fail(
            f"Content Security Policy violations on {page.url}:\n" + "\n".join(found),
            pytrace=False,
        )


def check_page(page: Page, screenshot_dir: Path | None = None) -> Page:
    """The checks every page must pass. Call after anything that loads a new page."""
    page.wait_for_load_state("load")
    assert_no_csp_violations(page)
    assert_accessible(page)
    watch = watch_of(page)
    watch.checked_urls.append(page.url)
    watch.unchecked.clear()
    if screenshot_dir is not None:
        name = f"{len(list(screenshot_dir.glob('*.png'))):03d}-" + (
            page.url.split("://", 1)[-1].split("/", 1)[-1].strip("/").replace("/", "_") or "home"
        )
        page.screenshot(path=str(screenshot_dir / f"{name[:80]}.png"), full_page=True)
    return page


@pytest.fixture(scope="session")
def screenshot_dir() -> Path | None:
    """Set RRP_SCREENSHOTS=/some/dir to keep a full-page screenshot of every checked page."""
    folder = os.environ.get("RRP_SCREENSHOTS")
    if not folder:
        return None
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    """pytest-playwright's page, watched: Content Security Policy violations reported on the
    console are collected, and a page loaded but never checked fails the test."""
    page = context.new_page()
    watch = PageWatch()
    setattr(page, _WATCH_KEY, watch)

    def on_console(message: Any) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            watch.csp_violations.append(message.text)

    page.on("console", on_console)
    page.on("load", lambda loaded: watch.unchecked.append(loaded.url))
    yield page
    assert_no_csp_violations(page)
    if watch.unchecked:
        pytest.fail(
            "pages loaded without an accessibility check (call checked(page) after a click "
            "or a form submission): " + ", ".join(watch.unchecked),
            pytrace=False,
        )


@pytest.fixture
def checked(screenshot_dir: Path | None) -> Callable[[Page], Page]:
    """checked(page): run every page check on the page now showing."""
    return lambda page: check_page(page, screenshot_dir)


@pytest.fixture
def worker_runs(checked: Callable[[Page], Page]) -> Callable[[Page], Page]:
    """worker_runs(page): what `rrp worker` beside the server does before the page is loaded
    again: run the jobs queued so far (the charts the page lacked are drawn), then reload the
    page and check it. A reader never waits for a chart (issue 12), so a page first opened
    shows "This chart is being drawn" until the worker has drawn it."""

    def run(page: Page) -> Page:
        from rrp.jobs.worker import run_ready_jobs

        run_ready_jobs()
        page.reload()
        return checked(page)

    return run


@pytest.fixture
def visit(
    page: Page, live_server: Any, checked: Callable[[Page], Page]
) -> Callable[[str], Page]:
    """visit("/wards/"): open a page of the live server, check it, and return it."""

    def go(path: str) -> Page:
        response = page.goto(live_server.url + path)
        assert response is not None
        assert response.ok, f"GET {path} gave {response.status}"
        return checked(page)

    return go


@pytest.fixture
def sign_in_as(
    page: Page, live_server: Any, make_user: Callable[..., Any], client_for: Callable[..., Any],
    organisation: Any,
) -> Callable[..., Any]:
    """sign_in_as("ward_staff", username="nina", full_name="Nina Shah"): given a person with
    that role, already signed in (through a session cookie; tests/browser/test_sign_in_page.py
    signs in through the form). Returns the person."""

    def sign_in(role: str, organisation: Any = organisation, **user: Any) -> Any:
        person = make_user(role, organisation=organisation, **user)
        client = client_for(person, organisation)
        page.context.add_cookies([{
            "name": "sessionid", "value": client.cookies["sessionid"].value,
            "url": live_server.url,
        }])
        return person

    return sign_in
