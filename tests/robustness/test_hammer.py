"""Fifty API clients at once on three applications and two pools: nothing breaks, nothing drifts.

Each client is a thread with its own database connection and its own bearer token. They run
transitions, write comments and reserve and release pool hours through the HTTP API, mixed with
requests that must be refused (the wrong state, beyond capacity or budget, the wrong role, no
credentials). Afterwards the database must agree with what the clients were told.
"""

import random
import threading
from collections import Counter
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django_fsm_log.models import StateLog
from rest_framework.test import APIClient

from applications import services
from applications.models import Application, Comment, NetworkMember
from funds.models import FundMembership
from integrations.models import Scope
from integrations.services import fund_key_create, personal_token_create
from pools.models import Allocation, PoolService
from pools.selectors import pool_utilisation
from tests.applications.factories import NetworkMemberFactory
from tests.applications.helpers import drive_to_ready, fill_current_step, start_application
from tests.funds.factories import FundMembershipFactory, ProgrammeFactory
from tests.pools.factories import ContributionFactory, PoolServiceFactory, service_type

pytestmark = pytest.mark.django_db(transaction=True)

CLIENTS = 50
REQUESTS_PER_CLIENT = 10
AWARD = "600.00"  # the budget of 1000 holds one award, never two
LAST_STEP = "accountability"


class Hammer:
    """The shared world: a programme, three applications, two pools and who plays which role."""

    def __init__(self):
        self.programme = ProgrammeFactory(budget=Decimal("1000"), max_amount=Decimal("1000"))
        fund = self.programme.fund
        self.manager = FundMembershipFactory(fund=fund, role=FundMembership.Role.MANAGER).user
        self.officers = [FundMembershipFactory(fund=fund).user for _ in range(3)]
        self.other_officer = FundMembershipFactory().user  # another fund's
        self.applications, self.coordinators, self.members = [], [], []
        for number in range(3):
            application, coordinator = start_application(self.programme, title=f"Plan {number}")
            self.applications.append(application)
            self.coordinators.append(coordinator)
            self.members.append(
                NetworkMemberFactory(
                    network=application.network, role=NetworkMember.Role.MEMBER
                ).user
            )
        *reviewing, ready = self.applications
        # Two applications with their last step submitted (the budget step is behind them, so
        # hours may be reserved), one ready for the manager's decision.
        for application, coordinator in zip(reviewing, self.coordinators, strict=False):
            while True:
                application.refresh_from_db()
                fill_current_step(application, coordinator)
                services.application_submit_step(application=application, actor=coordinator)
                if application.current_step.key == LAST_STEP:
                    break
                services.application_accept_step(application=application, actor=self.officers[0])
        drive_to_ready(ready, coordinator=self.coordinators[2], officer=self.officers[0])
        self.outsider = start_application(ProgrammeFactory(), title="Elsewhere")[1]

        # Two pools the fund contributes to, and one it does not.
        self.services = []
        for code, capacity in (("secretarial", "20"), ("bookkeeping", "12")):
            pool = ContributionFactory(fund=fund, hours=Decimal("100")).pool
            self.services.append(
                PoolServiceFactory(
                    pool=pool, service_type=service_type(code), capacity_hours=Decimal(capacity)
                )
            )
        self.foreign_service = PoolServiceFactory(
            pool=ContributionFactory().pool, capacity_hours=Decimal("100")
        )
        _key, self.write_key = fund_key_create(
            fund=fund, actor=self.manager, name="Back office", scope=Scope.READ_WRITE
        )
        self.allocations: list[int] = []  # reserved through the API, for releases to pick from

    def client_for(self, role: str, index: int) -> tuple[APIClient, object]:
        """An API client with its own token, and the application it belongs to (if any)."""
        users = {
            "coordinator": self.coordinators,
            "member": self.members,
            "officer": self.officers,
            "manager": [self.manager],
            "outsider": [self.outsider],
            "other_officer": [self.other_officer],
        }
        client = APIClient(HTTP_HOST="127.0.0.1")
        client.raise_request_exception = False  # a server error is a response to count
        home = None
        if role == "write_key":
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {self.write_key}")
        elif role != "anonymous":
            user = users[role][index % len(users[role])]
            _token, secret = personal_token_create(actor=user, name=f"hammer {index}")
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
            if role in ("coordinator", "member"):
                home = self.applications[index % 3]
        return client, home


#: 50 clients: most of them may act, some only ever get refused.
ROLES = (
    ["coordinator"] * 9
    + ["member"] * 6
    + ["officer"] * 17
    + ["manager"] * 6
    + ["write_key"] * 2
    + ["outsider"] * 4
    + ["other_officer"] * 4
    + ["anonymous"] * 2
)
assert len(ROLES) == CLIENTS


def transition_url(application) -> str:
    return f"/api/v1/applications/{application.pk}/transitions/"


def comment_url(application) -> str:
    return f"/api/v1/applications/{application.pk}/comments/"


def next_request(hammer: Hammer, role: str, home, rng: random.Random) -> dict:
    """One request for this role: method arguments, what it is, and whether it must be refused.

    ``refuse`` marks requests that can never succeed, whatever the state: they must get a 4xx.
    """
    application = rng.choice(hammer.applications)
    if role in ("coordinator", "member"):
        application = home
    roll = rng.random()
    if role == "coordinator":
        if roll < 0.5:
            return transition(application, {"name": "submit_step", "step": LAST_STEP})
        if roll < 0.8:
            return comment(application, rng)
        if roll < 0.9:
            return transition(application, {"name": "accept_step"}, refuse=True)
        return comment(application, rng, question_key="no_such_question", refuse=True)
    if role == "member":
        if roll < 0.6:
            return comment(application, rng)
        return transition(application, {"name": "submit_step"}, refuse=True)
    if role == "manager" and roll < 0.4:
        return transition(application, {"name": "award", "amount": AWARD})
    if role in ("officer", "manager", "write_key"):
        return officer_request(hammer, application, rng)
    # outsider, other_officer, anonymous: nothing of this fund is theirs
    if roll < 0.4:
        return transition(application, {"name": "accept_step"}, refuse=True)
    if roll < 0.7:
        return comment(application, rng, refuse=True)
    return reserve(hammer.services[0], application, "2", refuse=True)


def officer_request(hammer: Hammer, application, rng: random.Random) -> dict:
    roll = rng.random()
    if roll < 0.3:
        return transition(
            application,
            {"name": "request_changes", "step": LAST_STEP, "comment": "Who will sign?"},
        )
    if roll < 0.32:  # rare: an accepted last step ends the review cycle
        return transition(application, {"name": "accept_step", "step": LAST_STEP})
    if roll < 0.6:
        service = rng.choice(hammer.services)
        return reserve(service, application, rng.choice(["2", "3", "4.5"]))
    if roll < 0.72 and hammer.allocations:
        allocation_id = rng.choice(hammer.allocations)
        return {
            "kind": "release",
            "path": f"/api/v1/allocations/{allocation_id}/transitions/",
            "data": {"name": "release", "note": "Not needed after all"},
            "target": allocation_id,
            "refuse": False,
        }
    if roll < 0.78:
        return reserve(hammer.foreign_service, application, "1", refuse=True)
    if roll < 0.84:
        # A decline needs a referral: this payload can never be accepted.
        return transition(
            application, {"name": "decline", "reason": "No", "advice": "None"}, refuse=True
        )
    return comment(application, rng)


def transition(application, payload: dict, *, refuse: bool = False) -> dict:
    return {
        "kind": "transition",
        "path": transition_url(application),
        "data": payload,
        "target": application.pk,
        "refuse": refuse,
    }


def comment(application, rng, *, question_key: str = "", refuse: bool = False) -> dict:
    body = f"Comment {rng.getrandbits(48):x}"
    return {
        "kind": "comment",
        "path": comment_url(application),
        "data": {"step": LAST_STEP, "body": body, "question_key": question_key},
        "target": application.pk,
        "refuse": refuse,
    }


def reserve(service: PoolService, application, hours: str, *, refuse: bool = False) -> dict:
    return {
        "kind": "reserve",
        "path": "/api/v1/allocations/",
        "data": {
            "application": application.pk,
            "service": service.pk,
            "hours": hours,
            "need": "Minutes",
        },
        "target": service.pk,
        "refuse": refuse,
    }


def run_clients(hammer: Hammer) -> list[dict]:
    """Start every client together; each sends its requests and records every response."""
    clients = [hammer.client_for(role, index) for index, role in enumerate(ROLES)]
    start = threading.Barrier(CLIENTS)
    records: list[list[dict]] = [[] for _ in range(CLIENTS)]

    def work(index: int) -> None:
        client, home = clients[index]
        role, rng = ROLES[index], random.Random(index)
        try:
            start.wait(timeout=30)
            for _ in range(REQUESTS_PER_CLIENT):
                request = next_request(hammer, role, home, rng)
                record = {**request, "role": role}
                try:
                    response = client.post(request["path"], request["data"], format="json")
                except Exception as error:  # noqa: BLE001 - recorded and asserted on below
                    record.update(status=None, error=repr(error))
                else:
                    record["status"] = response.status_code
                    if response.status_code < 300:
                        record["body"] = response.json()
                        if request["kind"] == "reserve":
                            hammer.allocations.append(record["body"]["id"])
                records[index].append(record)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(index,)) for index in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=150)
    assert not any(thread.is_alive() for thread in threads), "a client hung"
    return [record for thread_records in records for record in thread_records]


def log_of(instance) -> list[StateLog]:
    # Transitions of one row are serialised by its row lock, so id order is commit order.
    return list(StateLog.objects.for_(instance).order_by("pk"))


def assert_log_replays(instance, initial_state: str) -> None:
    """Each entry starts where the previous one ended, and the last one is the state now."""
    state = initial_state
    for entry in log_of(instance):
        assert entry.source_state == state, (instance, entry.transition, entry.source_state, state)
        state = entry.state
    assert state == instance.state, instance


def test_fifty_clients_at_once_never_break_or_drift(service_types, require_postgres):
    hammer = Hammer()
    logs_before = {app.pk: len(log_of(app)) for app in hammer.applications}
    allocations_before = Allocation.objects.count()

    records = run_clients(hammer)

    assert len(records) == CLIENTS * REQUESTS_PER_CLIENT
    statuses = Counter(record["status"] for record in records)
    # No server errors and no exceptions: every answer is a success or a 4xx refusal.
    failed = [r for r in records if r["status"] is None or r["status"] >= 500]
    assert not failed, failed[:5]
    assert all(200 <= r["status"] < 300 or 400 <= r["status"] < 500 for r in records), statuses
    wrongly_accepted = [r for r in records if r["refuse"] and r["status"] < 400]
    assert not wrongly_accepted, wrongly_accepted[:5]
    accepted = [r for r in records if r["status"] < 300]
    by_kind = Counter(r["kind"] for r in accepted)
    # The run really exercised both sides: accepted writes of every kind, and refusals.
    assert by_kind["transition"] and by_kind["comment"] and by_kind["reserve"], by_kind
    assert statuses[409] and statuses[400] and statuses[403] and statuses[404], statuses

    # Every accepted transition is exactly one new log entry; the log replays to the state now.
    for application in hammer.applications:
        application.refresh_from_db()
        told = sum(
            1 for r in accepted if r["kind"] == "transition" and r["target"] == application.pk
        )
        assert len(log_of(application)) - logs_before[application.pk] == told, application
        assert_log_replays(application, Application.State.DRAFTING)

    # Every accepted comment is stored as the client sent it.
    for record in (r for r in accepted if r["kind"] == "comment"):
        stored = Comment.objects.get(pk=record["body"]["id"])
        assert (stored.body, stored.step.application_id) == (
            record["data"]["body"],
            record["target"],
        )

    # Every accepted reservation is stored, and nothing else was; every accepted release stuck.
    reserved_ids = {r["body"]["id"] for r in accepted if r["kind"] == "reserve"}
    assert Allocation.objects.filter(pk__in=reserved_ids).count() == len(reserved_ids)
    assert Allocation.objects.count() - allocations_before == len(reserved_ids)
    released = [r["target"] for r in accepted if r["kind"] == "release"]
    assert len(released) == len(set(released)), "an allocation was released twice"
    assert all(Allocation.objects.get(pk=pk).state == Allocation.State.RELEASED for pk in released)
    release_logs = StateLog.objects.filter(
        content_type=ContentType.objects.get_for_model(Allocation),
        transition="release",
        object_id__in=reserved_ids,
    )
    assert release_logs.count() == len(released)  # no decline or withdrawal released any
    for allocation in Allocation.objects.filter(pk__in=reserved_ids):
        assert_log_replays(allocation, Allocation.State.RESERVED)

    # No pool is overbooked, counted both ways the application counts it.
    for service in hammer.services:
        assert service.allocations.held_hours() <= service.capacity_hours, service
        (line,) = [
            line for line in pool_utilisation(service.pool).services if line.key == service.pk
        ]
        assert Decimal("0") <= line.usage.in_use <= line.capacity, line
    assert not Allocation.objects.filter(service=hammer.foreign_service).exists()

    # The programme never awards more than its budget.
    committed = Application.objects.filter(
        programme=hammer.programme, state__in=Application.COMMITTED_STATES
    )
    assert sum(app.awarded_amount for app in committed) <= hammer.programme.budget
    assert committed.count() <= 1
