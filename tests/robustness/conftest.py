"""Robustness tests: real row locks, real connections and real sockets, so PostgreSQL only.

Every test here depends on ``require_postgres`` (autouse below): the SQLite run skips them with
the reason, the PostgreSQL run in CI (``EIGENWIJS_REQUIRE_POSTGRES=1``) must run them.
"""

import importlib

import pytest


@pytest.fixture(autouse=True)
def _postgres_only(require_postgres):
    """Autouse, so a SQLite run skips before any data is built."""


@pytest.fixture
def service_types(db):
    """The default service types. A data migration creates them and the flush after every
    ``transaction=True`` test deletes them, so transactional tests put them back first."""
    from django.apps import apps

    migration = importlib.import_module("pools.migrations.0002_default_service_types")
    migration.create(apps, None)
