"""Browser tests: Playwright driving Debian's chromium against pytest-django's live server.

They skip (visibly) where chromium is missing; .ci/run installs it and sets EIGENWIJS_REQUIRE_ALL=1
so there they must run. Set EIGENWIJS_SCREENSHOTS=docs/screenshots (see `make screenshots`) to
save screenshots of the main screens at desktop and phone width.
"""

import os
import shutil
from pathlib import Path

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

    def check(page, name: str | None = None):
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        violations = results.response["violations"]
        assert not violations, f"{page.url}: {results.generate_report()}"
        if folder and name:
            Path(folder).mkdir(parents=True, exist_ok=True)
            original = page.viewport_size
            for label, size in VIEWPORTS.items():
                page.set_viewport_size(size)
                page.screenshot(path=f"{folder}/{name}-{label}.png", full_page=True)
            page.set_viewport_size(original)

    return check


@pytest.fixture
def page(page):
    page.set_default_timeout(8000)
    return page
