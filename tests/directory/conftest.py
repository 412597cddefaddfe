"""The browser fixtures of tests/browser, for this folder's phone test (``test_phone.py``):
chromium's launch arguments, an English context, ``sign_in`` and ``check_page`` (axe)."""

from tests.browser.conftest import (  # noqa: F401
    browser_context_args,
    browser_type_launch_args,
    check_page,
    page,
    sign_in,
)
