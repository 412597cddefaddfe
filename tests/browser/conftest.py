"""Browser tests: Playwright driving Debian's chromium against pytest-django's live server.

They skip (visibly) where chromium is missing; .ci/run installs it and sets EIGENWIJS_REQUIRE_ALL=1
so there they must run. Set EIGENWIJS_SCREENSHOTS=docs/screenshots (see `make screenshots`) to
save screenshots of the main screens at desktop and phone width.
"""

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import require_or_skip

# Playwright's sync API runs an event loop in this thread; the tests use the ORM beside it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 360, "height": 780}}


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
        page.goto(url)
    for label, size in VIEWPORTS.items():
        page.set_viewport_size(size)
        page.screenshot(path=str(folder / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(original_size)
    if reload:
        page.context.add_cookies([{"name": "django_language", "value": "en", "url": origin}])
        page.goto(url)


@pytest.fixture
def page(page):
    page.set_default_timeout(8000)
    return page
