"""A large, realistic data set for benchmarks, seeded fast (``manage.py seed_scale``).

Everything is first *planned* from one ``random.Random(seed)`` by pure code (``plan_layout`` and
``ApplicationPlanner``), so a seed and the sizes always give the same data apart from primary keys
and the moment of seeding; the batch size changes nothing. Then ``scale_write`` inserts the
plan, one transaction per batch of applications: ``bulk_create`` for funds, programmes and users,
``RowWriter`` (COPY on PostgreSQL) for the millions of rows under the applications. No service
runs, so nobody is mailed and no webhook event is recorded, but the rows are the ones the
services would have written: an application's steps copy its programme's step blueprints, its
2–6 revisions pass ``validate_answers``, every submit has a StepSubmission, changes are asked for
in comments, and its StateLog rows replay the workflow from "drafting" to its state. Times fall
in the two years before seeding.

Fund ``scale-fund-0001`` (``BIG_FUND_SLUG``) gets ``BIG_FUND_SHARE`` of all applications: about
5,700 awarded, contracted or closed ones for 100,000, for the 360Giving export benchmark; the
other funds fall off in a long tail. Contracted and closed applications have no agreement rows,
and no support-pool hours are asked for or reserved.
"""

import random
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import accumulate, pairwise

from applications.models import (
    Application,
    Step,
)
from funds.arrangements import Arrangement
from funds.default_steps import DEFAULT_STEPS, q

from .scale_texts import (
    ACTIVITIES,
    AGREEMENT_SIGNED,
    ALL_PAID,
    AREAS,
    BUDGET_ITEMS,
    CHANGE_REQUESTS,
    CONTACTS,
    DECLINES,
    FIRST_NAMES,
    FUND_KINDS,
    FUNDING,
    GENERIC_TEXTS,
    LAST_NAMES,
    NETWORK_KINDS,
    OFFICER_NOTES,
    PLACES,
    PROGRAMME_TITLES,
    REGIONS,
    REPLIES,
    TEXTS,
    THEMES,
)

State, Status = Application.State, Step.Status
DAY = 86_400
WINDOW = 730 * DAY
BIG_FUND_SLUG = "scale-fund-0001"
BIG_FUND_SHARE = 0.16
MAX_REVISIONS = 6

#: Final states and how common they are (per cent). 36 % end awarded, contracted or closed.
OUTCOMES = {
    State.DRAFTING: 24,
    State.STEP_SUBMITTED: 10,
    State.CHANGES_REQUESTED: 6,
    State.READY_FOR_DECISION: 5,
    State.AWARDED: 8,
    State.CONTRACTED: 14,
    State.CLOSED: 14,
    State.DECLINED: 13,
    State.WITHDRAWN: 6,
}
#: Where a declined or withdrawn application stood when it ended, and how often.
ENDED_FROM = {
    State.DECLINED: {
        State.STEP_SUBMITTED: 7,
        State.READY_FOR_DECISION: 2,
        State.CHANGES_REQUESTED: 1,
    },
    State.WITHDRAWN: {State.DRAFTING: 6, State.CHANGES_REQUESTED: 3, State.STEP_SUBMITTED: 1},
}
OPEN = frozenset(Application.OPEN_STATES)


def _own_steps() -> list[dict]:
    """Step definitions some programmes use: the default steps with a number, a choice and a
    money question added, and plain Dutch titles as a programme's own definitions have."""
    choices = [{"value": v, "label": {"nl": nl, "en": en}} for v, nl, en in
               (("weekly", "Elke week", "Every week"), ("monthly", "Elke maand", "Every month"))]  # fmt: skip
    extra = {
        "idea": [q("participants", "number", "Hoeveel mensen doen mee?", "How many take part?")],
        "plan": [{**q("frequency", "choice", "Hoe vaak?", "How often?"), "choices": choices}],
        "budget": [q("own_money", "money", "Eigen inbreng", "Own share", required=False)],
    }
    return [
        {"key": s["key"], "title": s["title"]["nl"], "intro": s["intro"]["nl"],
         "questions": [*s["questions"], *extra.get(s["key"], [])]}
        for s in DEFAULT_STEPS
    ]  # fmt: skip


OWN_STEPS = _own_steps()


# Planning: pure, from the Random only.


@dataclass(frozen=True)
class FundPlan:
    slug: str
    name: str
    region: str
    themes: tuple[str, ...]
    staff: tuple[tuple[str, str], ...]  # officers' names; the last is the manager


@dataclass(frozen=True)
class ProgrammePlan:
    fund: int
    slug: str
    title: str
    max_amount: int
    arrangements: tuple[str, ...]
    own_steps: bool

    @property
    def blueprints(self) -> list[dict]:
        return OWN_STEPS if self.own_steps else DEFAULT_STEPS


@dataclass(frozen=True)
class NetworkPlan:
    name: str
    area: str
    legal_status: str
    kvk_number: str
    people: tuple[tuple[str, str], ...]  # the coordinator, then maybe a member
    founded: int  # seconds before the window opens

    @property
    def has_legal_entity(self) -> bool:
        return bool(self.kvk_number)


@dataclass(frozen=True)
class Layout:
    funds: list[FundPlan]
    programmes: list[ProgrammePlan]
    programme_weights: list[float]  # cumulative, for Random.choices
    networks: list[NetworkPlan]
    legal_networks: list[int]


def _person(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)


def plan_layout(rng: random.Random, *, funds: int, networks: int) -> Layout:
    fund_plans, programmes, weights = [], [], []
    tail = [1 / rank**0.8 for rank in range(1, funds)]
    for f in range(funds):
        region = rng.choice(REGIONS)
        fund_plans.append(
            FundPlan(
                slug=f"scale-fund-{f + 1:04d}",
                name=f"{rng.choice(FUND_KINDS)} {region} {f + 1}",
                region=region,
                themes=tuple(rng.sample(THEMES, 2)),
                staff=tuple(_person(rng) for _ in range(rng.randint(3, 4))),
            )
        )
        share = BIG_FUND_SHARE if f == 0 else (1 - BIG_FUND_SHARE) * tail[f - 1] / sum(tail)
        own = 2 if f == 0 else rng.randint(1, 2)
        for p in range(own):
            # Most programmes accept informal networks; the big fund's always do.
            informal = f == 0 or rng.random() < 0.85
            host = informal and rng.random() < 0.5
            programmes.append(
                ProgrammePlan(
                    fund=f,
                    slug=f"scale-fund-{f + 1:04d}-{p + 1}",
                    title=f"{rng.choice(PROGRAMME_TITLES)} {p + 1}",
                    max_amount=rng.choice((5_000, 10_000, 15_000, 25_000)),
                    arrangements=(Arrangement.LEGAL_ENTITY,)
                    + ((Arrangement.COOPERATION_AGREEMENT,) if informal else ())
                    + ((Arrangement.HOST_ORGANISATION,) if host else ()),
                    own_steps=rng.random() < 0.125,
                )
            )
            weights.append(share / own)
    network_plans = []
    for n in range(networks):
        legal = n == 0 or rng.random() < 0.3
        network_plans.append(
            NetworkPlan(
                name=f"{rng.choice(NETWORK_KINDS)} {rng.choice(AREAS)}",
                area=rng.choice(AREAS),
                legal_status=rng.choice(("association", "foundation"))
                if legal
                else rng.choice(("none", "none", "other")),
                kvk_number=str(rng.randrange(10**7, 10**8)) if legal else "",
                people=(_person(rng),) + ((_person(rng),) if rng.random() < 0.5 else ()),
                founded=rng.randint(DAY, 365 * DAY),
            )
        )
    return Layout(
        funds=fund_plans,
        programmes=programmes,
        programme_weights=list(accumulate(weights)),
        networks=network_plans,
        legal_networks=[i for i, n in enumerate(network_plans) if n.has_legal_entity],
    )


@dataclass
class RevisionPlan:
    step: int  # order
    number: int
    content: dict
    author: str
    at: int


@dataclass
class CommentPlan:
    step: int
    question_key: str
    author: str
    body: str
    at: int
    resolved_at: int | None = None


@dataclass
class LogPlan:
    transition: str
    source: str
    target: str
    by: str | None
    at: int
    note: str | None = None


@dataclass
class ApplicationPlan:
    programme: int
    network: int
    officer: int
    title: str
    requested: Decimal
    state: str = State.DRAFTING
    current_step: int = 1
    statuses: list = field(default_factory=list)  # per step: [status, changed at]
    revisions: list[RevisionPlan] = field(default_factory=list)
    submissions: list[tuple[int, int, int]] = field(default_factory=list)  # step, revision, at
    comments: list[CommentPlan] = field(default_factory=list)
    log: list[LogPlan] = field(default_factory=list)
    referrals: list[tuple] = field(default_factory=list)  # programme or None, *contact
    awarded: Decimal | None = None
    decline: tuple[str, str] = ("", "")
    decided_at: int | None = None
    start: int = 0  # seconds into the window; every other time counts from here
    duration: int = 0  # when it was last touched


def _answer(rng: random.Random, question: dict, context: dict):
    kind = question["type"]
    if kind in ("text", "textarea"):
        return rng.choice(TEXTS.get(question["key"], GENERIC_TEXTS)).format(**context)
    if kind == "number":
        return rng.randint(5, 250)
    if kind == "money":
        return f"{rng.randint(0, 40) * 25}.00"
    if kind == "choice":
        return str(rng.choice(question["choices"])["value"])
    if kind == "arrangement":
        return rng.choice(context["arrangements"])
    if kind == "budget_lines":
        return _budget_lines(rng, context["requested"])
    if kind == "funding_sources":
        return [
            {"kind": kind, "description": text, "amount": f"{rng.randint(2, 40) * 25}.00"}
            for kind, text in rng.sample(FUNDING, rng.randint(1, 2))
        ]
    raise ValueError(f"No answers planned for question type {kind!r}.")


def _budget_lines(rng: random.Random, requested: Decimal) -> list[dict]:
    """One to four lines that add up to the amount asked for."""
    units = int(requested) // 50
    cuts = sorted(rng.sample(range(1, units), min(rng.randint(0, 3), units - 1)))
    bounds = [0, *cuts, units]
    return [
        {"description": item, "amount": f"{(b - a) * 50}.00", "in_kind": rng.random() < 0.1}
        for item, (a, b) in zip(rng.sample(BUDGET_ITEMS, len(bounds) - 1), pairwise(bounds), strict=True)
    ]  # fmt: skip


def plan_answers(rng: random.Random, questions: list[dict], context: dict, *, complete: bool):
    """Answers in the cleaned form ``validate_answers`` returns, so they pass it unchanged.

    A draft answers some questions; a complete set answers every required one."""
    answers = {}
    for question in questions:
        required = question.get("required", True)
        if rng.random() < ((1.0 if required else 0.5) if complete else 0.6):
            answers[question["key"]] = _answer(rng, question, context)
    if not answers:
        answers[questions[0]["key"]] = _answer(rng, questions[0], context)
    return answers


class _Story:
    """The workflow replayed in memory: what the services would have written, and when."""

    def __init__(self, rng: random.Random, plan: ApplicationPlan, blueprints, context: dict):
        self.rng, self.plan, self.blueprints, self.context = rng, plan, blueprints, context
        self.t = 0
        plan.statuses = [
            [Status.OPEN if o == 0 else Status.LOCKED, 0] for o in range(len(blueprints))
        ]

    def wait(self, days: float) -> None:
        mean = days * DAY  # capped, so that even the longest story fits in the window
        self.t += 600 + int(min(self.rng.expovariate(1 / mean), 3 * mean))

    def _transition(self, name: str, target: str, by: str | None, note: str | None = None):
        self.plan.log.append(LogPlan(name, self.plan.state, target, by, self.t, note))
        self.plan.state = target

    def _mark(self, status: str) -> None:
        self.plan.statuses[self.plan.current_step - 1] = [status, self.t]

    def _questions(self) -> list[dict]:
        return self.blueprints[self.plan.current_step - 1]["questions"]

    def draft(self, *, complete: bool) -> None:
        self.wait(2)
        step = self.plan.current_step
        number = 1 + sum(1 for r in self.plan.revisions if r.step == step)
        content = plan_answers(self.rng, self._questions(), self.context, complete=complete)
        author = "member" if self.rng.random() < 0.2 else "coordinator"
        self.plan.revisions.append(RevisionPlan(step, number, content, author, self.t))

    def submit(self) -> None:
        self.wait(1)
        latest = self.plan.revisions[-1]  # drafted on this step just before
        self.plan.submissions.append((latest.step, latest.number, self.t))
        self._mark(Status.SUBMITTED)
        self._transition("submit_step", State.STEP_SUBMITTED, "coordinator")

    def request_changes(self) -> None:
        self.wait(4)
        key = self.rng.choice(self._questions())["key"]
        body = self.rng.choice(CHANGE_REQUESTS)
        self.plan.comments.append(CommentPlan(self.plan.current_step, key, "officer", body, self.t))
        self._mark(Status.CHANGES_REQUESTED)
        self._transition("request_changes", State.CHANGES_REQUESTED, "officer")
        if self.rng.random() < 0.4:
            self.wait(1)
            reply = self.rng.choice(REPLIES)
            self.plan.comments.append(
                CommentPlan(self.plan.current_step, key, "coordinator", reply, self.t)
            )

    def accept(self) -> None:
        self.wait(4)
        plan, step = self.plan, self.plan.current_step
        if self.rng.random() < 0.15:
            plan.comments.append(
                CommentPlan(step, "", "officer", self.rng.choice(OFFICER_NOTES), self.t)
            )
        for comment in plan.comments:
            if comment.step == step and comment.author == "officer" and comment.resolved_at is None:
                comment.resolved_at = self.t
        self._mark(Status.ACCEPTED)
        note = self.rng.choice(OFFICER_NOTES) if self.rng.random() < 0.3 else None
        if step == len(self.blueprints):
            self._transition("accept_step", State.READY_FOR_DECISION, "officer", note)
            return
        plan.current_step += 1
        self._mark(Status.OPEN)
        self._transition("accept_step", State.DRAFTING, "officer", note)

    def decline(self) -> None:
        self.wait(5)
        self.plan.decline = self.rng.choice(DECLINES)
        self.plan.decided_at = self.t
        self._transition("decline", State.DECLINED, "officer")

    def withdraw(self) -> None:
        self.wait(10)
        self._transition("withdraw", State.WITHDRAWN, "coordinator")

    def award(self) -> None:
        self.wait(14)
        requested = self.plan.requested
        cut = Decimal(self.rng.choice((100, 100, 100, 90, 80))) / 100
        self.plan.awarded = max(Decimal(50), (requested * cut / 50).to_integral_value() * 50)
        self.plan.decided_at = self.t
        self._transition("award", State.AWARDED, "manager")

    def contract(self) -> None:
        self.wait(30)
        self._transition("contract", State.CONTRACTED, None, AGREEMENT_SIGNED)

    def close(self) -> None:
        self.wait(120)
        self._transition("close", State.CLOSED, "officer", ALL_PAID)


def _walk(story: _Story, rng: random.Random, final: str) -> None:
    """Take the story from "drafting" on step 1 to ``final``, with 2–6 revisions in all."""
    stop = final if final in OPEN else State.READY_FOR_DECISION
    if final in ENDED_FROM:
        stop = rng.choices(list(ENDED_FROM[final]), list(ENDED_FROM[final].values()))[0]
    last = len(story.blueprints)
    # Early steps are busier: most drafts never get far.
    at = (
        last
        if stop == State.READY_FOR_DECISION
        else min(rng.randint(1, last), rng.randint(1, last))
    )
    submitted = at - (stop == State.DRAFTING)  # every submit needs a fresh, complete revision
    spare = rng.randint(max(2, submitted), MAX_REVISIONS) - submitted
    rounds, drafts = [0] * (at + 1), [0] * (at + 1)
    for step in range(1, submitted + 1):
        if spare and rng.random() < 0.3:  # a round of changes costs one more revision
            rounds[step], spare = 1, spare - 1
    for _ in range(spare):
        drafts[rng.randint(1, at)] += 1
    for step in range(1, at + 1):
        for _ in range(drafts[step]):
            story.draft(complete=False)
        if step == at and stop == State.DRAFTING:
            break
        story.draft(complete=True)
        story.submit()
        for _ in range(rounds[step]):
            story.request_changes()
            story.draft(complete=True)
            story.submit()
        if step == at and stop != State.READY_FOR_DECISION:
            if stop == State.CHANGES_REQUESTED:
                story.request_changes()
            break
        story.accept()
    if final == State.DECLINED:
        story.decline()
    elif final == State.WITHDRAWN:
        story.withdraw()
    elif final in Application.COMMITTED_STATES:
        story.award()
        if final != State.AWARDED:
            story.contract()
        if final == State.CLOSED:
            story.close()


class ApplicationPlanner:
    """Plans applications one after another; the same Random gives the same sequence, whatever
    the batch size."""

    def __init__(self, layout: Layout, rng: random.Random):
        self.layout, self.rng = layout, rng
        self.open_pairs: set[tuple[int, int]] = set()  # one open application per network+programme
        self.states, self.state_weights = list(OUTCOMES), list(OUTCOMES.values())

    def plan(self, count: int) -> list[ApplicationPlan]:
        return [self._plan_one() for _ in range(count)]

    def _network(self, programme_index: int, programme: ProgrammePlan, final: str) -> int:
        informal = Arrangement.COOPERATION_AGREEMENT in programme.arrangements
        pool = range(len(self.layout.networks)) if informal else self.layout.legal_networks
        network = self.rng.choice(pool)
        for _ in range(20):
            if final not in OPEN or (network, programme_index) not in self.open_pairs:
                break
            network = self.rng.choice(pool)
        if final in OPEN:
            self.open_pairs.add((network, programme_index))
        return network

    def _plan_one(self) -> ApplicationPlan:
        rng, layout = self.rng, self.layout
        final = rng.choices(self.states, self.state_weights)[0]
        index = rng.choices(range(len(layout.programmes)), cum_weights=layout.programme_weights)[0]
        programme = layout.programmes[index]
        network = self._network(index, programme, final)
        plan = ApplicationPlan(
            programme=index,
            network=network,
            officer=rng.randrange(len(layout.funds[programme.fund].staff) - 1),
            title=f"{rng.choice(ACTIVITIES)} {rng.choice(PLACES)}",
            requested=Decimal(rng.randrange(10, programme.max_amount // 50 + 1) * 50),
        )
        legal = layout.networks[network].has_legal_entity
        context = {
            "title": plan.title.lower(),
            "requested": plan.requested,
            "arrangements": [
                a for a in programme.arrangements if legal or a != Arrangement.LEGAL_ENTITY
            ],
        }
        story = _Story(rng, plan, programme.blueprints, context)
        _walk(story, rng, final)
        if final == State.DECLINED:
            for _ in range(rng.randint(1, 2)):
                to = None
                if len(layout.programmes) > 1 and rng.random() < 0.5:
                    to = rng.randrange(len(layout.programmes) - 1)
                    to += to >= index  # any programme but this one
                contact = rng.choice(CONTACTS) if to is None else ("", "", "", "")
                plan.referrals.append((to, *contact))
        plan.duration = story.t
        plan.start = rng.randint(0, max(0, WINDOW - story.t))
        return plan


# Writing: the plan as rows.
