"""Writes a ``scale_seed`` plan to the database fast (``manage.py seed_scale``).

One transaction per batch of applications: ``bulk_create`` for funds, programmes and users,
``RowWriter`` (COPY on PostgreSQL) for the millions of rows under the applications. No service
runs, so nobody is mailed and no webhook event is recorded; see ``scale_seed`` for what the rows
hold.
"""

import datetime
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from itertools import count

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import JSONField, Max, Sum
from django.utils import timezone
from django_fsm_log.models import StateLog

from applications.models import (
    Application,
    Comment,
    Network,
    NetworkMember,
    Referral,
    Revision,
    Step,
    StepSubmission,
)
from funds.arrangements import Arrangement
from funds.default_steps import DEFAULT_STEPS
from funds.models import Fund, FundMembership, Programme, StepDefinition, Theme

from .scale_seed import (
    BIG_FUND_SLUG,
    OWN_STEPS,
    WINDOW,
    ApplicationPlan,
    ApplicationPlanner,
    Layout,
    plan_layout,
)
from .scale_texts import THEMES


class RowWriter:
    """Inserts rows with ids it hands out itself: COPY on PostgreSQL, executemany elsewhere.

    bulk_create managed about 250 applications a second here: it prepares every value of every
    instance in Python, and it overwrites auto_now fields, which then took a second UPDATE.
    Rows written as they are keep their planned times, and with ids known up front an
    application names its current step before the step's row exists (Django's foreign keys are
    checked at commit). Like loaddata with explicit pks, the sequences are reset afterwards.
    Nobody else may insert into these tables while seeding.
    """

    def __init__(self):
        self.counters: dict = {}

    def ids(self, model) -> Iterator[int]:
        if model not in self.counters:
            top = model.objects.aggregate(top=Max("pk"))["top"] or 0
            self.counters[model] = count(top + 1)
        return self.counters[model]

    def insert(self, model, columns: tuple[str, ...], rows: list[tuple]) -> int:
        fields = [model._meta.get_field(name) for name in columns]
        quote = connection.ops.quote_name
        table, names = quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                # JSON columns arrive serialised already; the rest are prepared as Django would.
                prepare = [None if isinstance(f, JSONField) else f.get_db_prep_save for f in fields]
                rows = [
                    [
                        v if p is None else p(v, connection)
                        for p, v in zip(prepare, row, strict=True)
                    ]
                    for row in rows
                ]
                marks = ", ".join(["%s"] * len(fields))
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
        return len(rows)

    def reset_sequences(self) -> None:
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), list(self.counters)):
                cursor.execute(sql)


@cache
def _blueprint_columns(own_steps: bool) -> list[tuple[str, str, str, str]]:
    """Key, title, intro and questions of each step, serialised once for all applications."""
    return [
        (b["key"], json.dumps(b["title"]), json.dumps(b.get("intro", "")), json.dumps(b["questions"]))
        for b in (OWN_STEPS if own_steps else DEFAULT_STEPS)
    ]  # fmt: skip


@dataclass
class Ids:
    """Primary keys of the layout's rows, by the plan's indexes."""

    programmes: list[int]
    networks: list[int]
    people: list[tuple[int, int]]  # per network: coordinator, member (or the coordinator again)
    staff: list[tuple[list[int], int]]  # per fund: officers, manager


def _users(names: list[tuple[str, tuple[str, str]]], joined: list) -> list[int]:
    users = [
        get_user_model()(username=username, first_name=first, last_name=last,
                         email=f"{username}@example.org", password=make_password(None),
                         date_joined=when)
        for (username, (first, last)), when in zip(names, joined, strict=True)
    ]  # fmt: skip
    return [user.pk for user in get_user_model().objects.bulk_create(users, batch_size=5000)]


def _write_funds(layout: Layout, start: datetime.datetime) -> tuple[list[int], list]:
    """Funds with their themes, staff and programmes; returns programme ids and staff ids."""
    Theme.objects.bulk_create(
        [Theme(name=name, slug=name.lower()) for name in THEMES], ignore_conflicts=True
    )
    themes = dict(Theme.objects.filter(name__in=THEMES).values_list("name", "pk"))
    funds = Fund.objects.bulk_create(
        Fund(slug=f.slug, name=f.name, region=f.region, contact_name=" ".join(f.staff[0]),
             contact_email=f"info@{f.slug}.example", description="Steunt bewoners die samen "
             "iets doen voor hun buurt.") for f in layout.funds
    )  # fmt: skip
    Fund.themes.through.objects.bulk_create(
        Fund.themes.through(fund_id=fund.pk, theme_id=themes[name])
        for fund, plan in zip(funds, layout.funds, strict=True)
        for name in plan.themes
    )
    names = [
        (f"{plan.slug}-{'manager' if i == len(plan.staff) - 1 else f'officer-{i + 1}'}", person)
        for plan in layout.funds
        for i, person in enumerate(plan.staff)
    ]
    user_ids, staff, memberships = iter(_users(names, [start] * len(names))), [], []
    for fund, plan in zip(funds, layout.funds, strict=True):
        *officers, manager = [next(user_ids) for _ in plan.staff]
        staff.append((officers, manager))
        memberships += [FundMembership(fund=fund, user_id=pk, role="officer") for pk in officers]
        memberships.append(FundMembership(fund=fund, user_id=manager, role="manager"))
    FundMembership.objects.bulk_create(memberships)
    opens, closes = (start - datetime.timedelta(days=30)).date(), timezone.localdate()
    programmes = Programme.objects.bulk_create(
        Programme(fund=funds[p.fund], slug=p.slug, title=p.title, max_amount=p.max_amount,
                  budget=p.max_amount * 20,  # settled in settle_budgets()
                  opens_on=opens, closes_on=closes + datetime.timedelta(days=365),
                  accepts_legal_entity=Arrangement.LEGAL_ENTITY in p.arrangements,
                  accepts_cooperation_agreement=Arrangement.COOPERATION_AGREEMENT in p.arrangements,
                  accepts_host_organisation=Arrangement.HOST_ORGANISATION in p.arrangements)
        for p in layout.programmes
    )  # fmt: skip
    StepDefinition.objects.bulk_create(
        StepDefinition(programme=programme, order=order, **blueprint)
        for programme, plan in zip(programmes, layout.programmes, strict=True)
        if plan.own_steps
        for order, blueprint in enumerate(plan.blueprints, start=1)
    )
    return [p.pk for p in programmes], staff


def _write_networks(layout: Layout, start: datetime.datetime, writer: RowWriter):
    """Networks with a coordinator and maybe a member; returns network ids and people's ids."""
    founded = [start - datetime.timedelta(seconds=n.founded) for n in layout.networks]
    network_ids = [next(writer.ids(Network)) for _ in layout.networks]
    writer.insert(
        Network,
        ("id", "name", "description", "area", "language", "legal_status", "kvk_number",
         "created_at"),
        [(pk, n.name, "Buren die samen iets doen voor de wijk.", n.area, "nl", n.legal_status,
          n.kvk_number, when)
         for pk, n, when in zip(network_ids, layout.networks, founded, strict=True)],
    )  # fmt: skip
    names, members = [], []
    for i, (plan, when) in enumerate(zip(layout.networks, founded, strict=True)):
        for role, person in zip(("coordinator", "member"), plan.people, strict=False):
            names.append((f"scale-network-{i + 1:05d}-{role}", person))
            members.append((network_ids[i], role, when))
    user_ids = _users(names, [when for *_, when in members])
    writer.insert(
        NetworkMember,
        ("id", "network", "user", "role", "joined_at"),
        [(next(writer.ids(NetworkMember)), network, user, role, when)
         for (network, role, when), user in zip(members, user_ids, strict=True)],
    )  # fmt: skip
    people, users = [], iter(user_ids)
    for plan in layout.networks:
        ids = [next(users) for _ in plan.people]
        people.append((ids[0], ids[-1]))
    return network_ids, people


def write_layout(layout: Layout, start: datetime.datetime, writer: RowWriter) -> Ids:
    programmes, staff = _write_funds(layout, start)
    networks, people = _write_networks(layout, start, writer)
    writer.reset_sequences()
    return Ids(programmes, networks, people, staff)


@dataclass
class _Rows:
    """What one application's rows share: its ids, its people and its clock."""

    ids: Ids
    layout: Layout
    content_type: int
    pk: int
    step_ids: list[int]
    who: dict
    base: datetime.datetime
    revision_ids: dict = field(default_factory=dict)

    def at(self, t: int | None) -> datetime.datetime | None:
        return None if t is None else self.base + datetime.timedelta(seconds=t)


def _application_rows(plan: ApplicationPlan, r: _Rows, new: Iterator[int]) -> list:
    return [(r.pk, r.ids.networks[plan.network], r.ids.programmes[plan.programme], plan.title,
             plan.requested, plan.state, r.step_ids[plan.current_step - 1], plan.awarded,
             *plan.decline, r.at(plan.decided_at), r.who["coordinator"], False, r.at(0),
             r.at(plan.duration))]  # fmt: skip


def _step_rows(plan: ApplicationPlan, r: _Rows, new: Iterator[int]) -> list:
    blueprints = _blueprint_columns(r.layout.programmes[plan.programme].own_steps)
    return [
        (step_id, r.pk, order, *columns, status, r.at(t))
        for order, (step_id, columns, (status, t)) in enumerate(
            zip(r.step_ids, blueprints, plan.statuses, strict=True), start=1)
    ]  # fmt: skip


def _revision_rows(plan: ApplicationPlan, r: _Rows, new: Iterator[int]) -> list:
    rows = []
    for rev in plan.revisions:
        r.revision_ids[rev.step, rev.number] = pk = next(new)
        rows.append((pk, r.step_ids[rev.step - 1], rev.number, json.dumps(rev.content),
                     r.who[rev.author], r.at(rev.at)))  # fmt: skip
    return rows


def _submission_rows(plan: ApplicationPlan, r: _Rows, new: Iterator[int]) -> list:
    return [(next(new), r.step_ids[step - 1], r.revision_ids[step, number],
             r.who["coordinator"], r.at(t))
            for step, number, t in plan.submissions]  # fmt: skip


def _comment_rows(plan: ApplicationPlan, r: _Rows, new: Iterator[int]) -> list:
    return [(next(new), r.step_ids[c.step - 1], c.question_key, r.who[c.author],
             "officer" if c.author == "officer" else "member", c.body, r.at(c.at),
             r.at(c.resolved_at), None if c.resolved_at is None else r.who["officer"])
            for c in plan.comments]  # fmt: skip


def _referral_rows(plan: ApplicationPlan, r: _Rows, new: Iterator[int]) -> list:
    return [(next(new), r.pk, None if to is None else r.ids.programmes[to], *contact, "", "",
             r.at(plan.decided_at))
            for to, *contact in plan.referrals]  # fmt: skip


def _log_rows(plan: ApplicationPlan, r: _Rows, new: Iterator[int]) -> list:
    return [(next(new), r.at(e.at), r.who[e.by], e.source, e.target, e.transition,
             r.content_type, r.pk, e.note)
            for e in plan.log]  # fmt: skip


#: Every kind of row under an application: its model, its columns, and how a plan gives them.
#: Order matters: submissions name revision ids that _revision_rows hands out.
ROW_KINDS = (
    (Application, ("id", "network", "programme", "title", "requested_amount", "state",
                   "current_step", "awarded_amount", "decline_reason", "decline_advice",
                   "decided_at", "created_by", "kept_from_fund", "created_at", "updated_at"),
     _application_rows),
    (Step, ("id", "application", "order", "key", "title", "intro", "questions", "status",
            "status_changed_at"), _step_rows),
    (Revision, ("id", "step", "number", "content", "author", "created_at"), _revision_rows),
    (StepSubmission, ("id", "step", "revision", "submitted_by", "submitted_at"),
     _submission_rows),
    (Comment, ("id", "step", "question_key", "author", "author_role", "body", "created_at",
               "resolved_at", "resolved_by"), _comment_rows),
    (Referral, ("id", "application", "programme", "organisation", "contact_name", "phone",
                "email", "url", "note", "created_at"), _referral_rows),
    (StateLog, ("id", "timestamp", "by", "source_state", "state", "transition",
                "content_type", "object_id", "description"), _log_rows),
)  # fmt: skip


def write_applications(
    plans: list[ApplicationPlan], layout: Layout, ids: Ids, start: datetime.datetime,
    writer: RowWriter,
) -> int:  # fmt: skip
    """Insert one batch of planned applications with everything under them; returns the rows."""
    content_type = ContentType.objects.get_for_model(Application).pk
    rows = {model: [] for model, _, _ in ROW_KINDS}
    for plan in plans:
        coordinator, member = ids.people[plan.network]
        officers, manager = ids.staff[layout.programmes[plan.programme].fund]
        who = {"coordinator": coordinator, "member": member, "officer": officers[plan.officer],
               "manager": manager, None: None}  # fmt: skip
        steps = [next(writer.ids(Step)) for _ in layout.programmes[plan.programme].blueprints]
        base = start + datetime.timedelta(seconds=plan.start)
        pk = next(writer.ids(Application))
        context = _Rows(ids, layout, content_type, pk, steps, who, base)
        for model, _, rows_of in ROW_KINDS:
            rows[model] += rows_of(plan, context, writer.ids(model))
    written = sum(writer.insert(model, columns, rows[model]) for model, columns, _ in ROW_KINDS)
    writer.reset_sequences()
    return written


def settle_budgets() -> None:
    """Give each programme a budget of what it awarded plus a quarter (at least 20 maximum
    grants), so that awards made after seeding still fit."""
    committed = dict(
        Application.objects.filter(state__in=Application.COMMITTED_STATES)
        .values_list("programme")
        .annotate(total=Sum("awarded_amount"))
    )
    programmes = list(Programme.objects.filter(slug__startswith="scale-fund-"))
    for programme in programmes:
        spent = committed.get(programme.pk, Decimal(0))
        headroom = (spent * 5 / 4 / 1000).to_integral_value() * 1000 + 1000
        programme.budget = max(programme.max_amount * 20, headroom)
    Programme.objects.bulk_update(programmes, ["budget"])


def refusal() -> str | None:
    """Why seeding cannot start here, or None."""
    if existing := Application.objects.count():
        return (
            f"The database already holds {existing} applications: seed_scale only seeds an empty "
            "database. Create a fresh one and run migrate first."
        )
    if Fund.objects.filter(slug=BIG_FUND_SLUG).exists():
        return f"Fund {BIG_FUND_SLUG} exists already: seed_scale was run here before."
    return None


def seed(
    *, applications: int, funds: int, networks: int, seed: int, batch_size: int, progress=None
):
    """Plan and write everything; ``progress(done, total, rows)`` is called after each batch.
    Returns the number of rows written for the applications and what is under them."""
    rng, writer = random.Random(seed), RowWriter()
    layout = plan_layout(rng, funds=funds, networks=networks)
    start = timezone.now() - datetime.timedelta(seconds=WINDOW)
    with transaction.atomic():
        ids = write_layout(layout, start, writer)
    planner, done, rows = ApplicationPlanner(layout, rng), 0, 0
    while done < applications:
        plans = planner.plan(min(batch_size, applications - done))
        with transaction.atomic():
            rows += write_applications(plans, layout, ids, start, writer)
        done += len(plans)
        if progress:
            progress(done, applications, rows)
    settle_budgets()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return rows
