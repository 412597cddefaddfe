"""Browser tests: Playwright driving Debian's chromium against pytest-django's live server.

They skip (visibly) where chromium is missing; .ci/run installs it and sets EIGENWIJS_REQUIRE_ALL=1
so there they must run. Every test here carries the ``browser`` marker: .ci/run runs them in its
SQLite run only (``-m "not browser"`` on PostgreSQL). Set EIGENWIJS_SCREENSHOTS=docs/screenshots
(see `make screenshots`) to save screenshots of the main screens at desktop and phone width.

The helpers every journey shares are fixtures here: ``sign_in``, ``sign_out``, ``check_page``,
and an English browser context (``browser_context_args``); ``open_menu(page)`` unfolds the header's
menu, which is a dropdown below 1280 px.
"""

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import require_or_skip

# Playwright's sync API runs an event loop in this thread; the tests use the ORM beside it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

HERE = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 360, "height": 780}}
PASSWORD = "secret-pass-123"  # the factories' password


def pytest_collection_modifyitems(items):
    # A conftest's collection hook sees the whole session's items: mark only this folder's.
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    require_or_skip(
        Path(CHROMIUM).exists() or shutil.which("chromium") is not None,
        "needs Debian's chromium (apt-get install -y --no-install-recommends chromium)",
    )
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def check_page():
    """Run axe on the current page (zero WCAG 2.2 AA violations) and optionally screenshot it."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    folder = os.environ.get("EIGENWIJS_SCREENSHOTS")

    def check(page, name: str | None = None, *, reload: bool = True):
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        violations = results.response["violations"]
        assert not violations, f"{page.url}: {results.generate_report()}"
        if folder and name:
            screenshot(page, Path(folder), name, reload=reload)

    return check


def screenshot(page, folder: Path, name: str, *, reload: bool = True) -> None:
    """Desktop and phone screenshots in Dutch, the language volunteers see by default.

    The journeys read English labels, so the page is shown again in Dutch (every page a journey
    checks is reachable by GET: forms redirect after a successful POST), then put back. A page
    that only a POST shows (``reload=False``) is taken as it is.
    """
    folder.mkdir(parents=True, exist_ok=True)
    original_size, url = page.viewport_size, page.url
    # The cookie must replace the journey's own (path "/"), not add one for this page's path.
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))
    if reload:
        page.context.add_cookies([{"name": "django_language", "value": "nl", "url": origin}])
        previous = session_language(page, origin, "nl")
        page.goto(url)
    for label, size in VIEWPORTS.items():
        page.set_viewport_size(size)
        page.screenshot(path=str(folder / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(original_size)
    if reload:
        page.context.add_cookies([{"name": "django_language", "value": "en", "url": origin}])
        if previous is not None:
            session_language(page, origin, previous)
        page.goto(url)


def session_language(page, origin: str, language: str) -> str | None:
    """A signed-in person's session carries their language, which wins over the cookie
    (notifications.language): set it for the screenshot, leaving their stored preference alone.
    Returns what the session had, or None when it had no language (the cookie decides then)."""
    from importlib import import_module

    from django.conf import settings

    from notifications.language import SESSION_KEY

    cookies = {cookie["name"]: cookie["value"] for cookie in page.context.cookies(origin)}
    key = cookies.get(settings.SESSION_COOKIE_NAME)
    if not key:
        return None
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)
    previous = store.get(SESSION_KEY)
    if previous is None:
        return None
    store[SESSION_KEY] = language
    store.save()
    return previous


@pytest.fixture
def page(page):
    page.set_default_timeout(8000)
    return page


@pytest.fixture
def browser_context_args(browser_context_args, live_server):
    # The journeys read English labels: choose English with the language switch's cookie.
    cookie = {"name": "django_language", "value": "en", "url": live_server.url}
    return {**browser_context_args, "storage_state": {"cookies": [cookie], "origins": []}}


@pytest.fixture
def sign_in(page, live_server):
    """``sign_in(user)``: password sign-in (folded away for volunteers) with the factories' password."""

    def sign_in(user):
        page.goto(f"{live_server.url}/accounts/login/")
        assert page.locator("main details").count() == 1  # password sign-in is folded away
        page.get_by_text("Sign in with a password").click()
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in with password").click()

    return sign_in


def open_menu(page) -> None:
    """Open the header's menu where it is folded away (a phone's width): a no-op on a wide screen."""
    menu = page.locator("header details.nav-menu")
    if menu.count() and menu.locator("summary").is_visible() and menu.get_attribute("open") is None:
        menu.locator("summary").click()


@pytest.fixture
def sign_out(page):
    """``sign_out()``: the header's sign-out button (opening the menu first on a phone)."""

    def sign_out():
        open_menu(page)
        page.get_by_role("button", name="Sign out").click()

    return sign_out
