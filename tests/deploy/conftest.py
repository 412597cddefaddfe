"""The deployment under test: gunicorn as in production, behind deploy/nginx/eigenwijs.conf.

Every test here carries the ``deploy`` marker. They need no database of the suite (gunicorn gets
its own SQLite file), so .ci/run runs them once, in its SQLite run (``-m "not deploy"`` on
PostgreSQL). Without nginx they skip under ``make test``; CI installs it and requires them.

The figures the slow-client test measures are printed at the end of the run.
"""

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
#: (what was measured, the figure), printed in the terminal summary.
FIGURES: list[tuple[str, str]] = []


def pytest_collection_modifyitems(items):
    # A conftest's collection hook sees the whole session's items: mark only this folder's.
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.deploy)


def pytest_terminal_summary(terminalreporter):
    if FIGURES:
        terminalreporter.section("deployment: slow clients")
        for what, figure in FIGURES:
            terminalreporter.write_line(f"{what}: {figure}")
