"""Shared fixtures, and the rule that turns "needs a service" skips into failures in CI.

Tests that need something a fresh machine may lack call ``require_or_skip``: under ``make test``
they skip with the reason. ``.ci/run`` sets ``EIGENWIJS_REQUIRE_ALL=1`` (chromium, gettext: a skip
becomes a failure in both runs) and, for its PostgreSQL run, ``EIGENWIJS_REQUIRE_POSTGRES=1``.
"""

import importlib
import os

import pytest
from django.db import connection


def require_or_skip(available: bool, reason: str, *, switch: str = "EIGENWIJS_REQUIRE_ALL") -> None:
    if available:
        return
    if os.environ.get(switch) == "1":
        pytest.fail(f"required in CI but unavailable ({switch}=1): {reason}")
    pytest.skip(reason)


@pytest.fixture
def require_postgres():
    """Real row locks: SQLite serialises whole-database writes and cannot show a race.

    The SQLite run skips these; .ci/run's PostgreSQL run sets EIGENWIJS_REQUIRE_POSTGRES=1, so
    there they must run.
    """
    require_or_skip(
        connection.vendor == "postgresql",
        "needs PostgreSQL for real row-lock concurrency (run with DATABASE_URL=postgres://...)",
        switch="EIGENWIJS_REQUIRE_POSTGRES",
    )


@pytest.fixture
def keep_the_test_connection():
    """For tests that call the real WSGI app (schemathesis): its request signals close "old"
    connections, which on PostgreSQL would close the test's own connection mid-transaction.
    Django's test client disconnects the same handler for the same reason."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def service_types(db):
    """The default service types. A data migration creates them and the flush after every
    ``transaction=True`` test deletes them, so tests that need them put them back first (the
    migration's function is idempotent)."""
    from django.apps import apps

    importlib.import_module("pools.migrations.0002_default_service_types").create(apps, None)


@pytest.fixture
def world(db):
    """One fund with an officer and a manager, one network with a coordinator and a member,
    an outsider, and an application of the network to the fund's open programme."""
    from applications import services
    from applications.models import NetworkMember
    from funds.models import FundMembership
    from tests.applications.factories import NetworkFactory, NetworkMemberFactory
    from tests.funds.factories import FundMembershipFactory, ProgrammeFactory, UserFactory

    class World:
        pass

    w = World()
    w.programme = ProgrammeFactory()
    w.fund = w.programme.fund
    w.officer = FundMembershipFactory(fund=w.fund, role=FundMembership.Role.OFFICER).user
    w.manager = FundMembershipFactory(fund=w.fund, role=FundMembership.Role.MANAGER).user
    w.network = NetworkFactory()
    w.coordinator = NetworkMemberFactory(
        network=w.network, role=NetworkMember.Role.COORDINATOR
    ).user
    w.member = NetworkMemberFactory(network=w.network, role=NetworkMember.Role.MEMBER).user
    w.outsider = UserFactory()
    w.application = services.application_create(
        network=w.network,
        programme=w.programme,
        actor=w.coordinator,
        title="Garden",
        requested_amount="1000",
    )
    return w


@pytest.fixture
def smtp_server(settings):
    """Mail goes through a real SMTP server (aiosmtpd) on localhost; the fixture is its inbox."""
    from tests.notifications.smtp import Inbox, start

    inbox = Inbox()
    controller = start(inbox)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = controller.hostname
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield inbox
    controller.stop()
