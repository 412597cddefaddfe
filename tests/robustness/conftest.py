"""Robustness tests: real row locks, real connections and real sockets, so PostgreSQL only.

Every test here depends on ``require_postgres`` (autouse below): the SQLite run skips them with
the reason, the PostgreSQL run in CI (``EIGENWIJS_REQUIRE_POSTGRES=1``) must run them. What the
fuzzers found and needs neither is pinned in ``tests/api/test_fuzz_findings.py``, on every database.
"""

import pytest


@pytest.fixture(autouse=True)
def _postgres_only(require_postgres):
    """Autouse, so a SQLite run skips before any data is built."""
