"""What a network has to do now: the task list at the top of its application page.

One place decides the "what next" line, by asking the rules that already exist: the state, the
registry (``APPLICATION_ACTIONS``: may this person submit the step now?), the editable states of
drafting, the open comments (``selectors.open_officer_comments``). It decides no rule itself.

An app built on applications (agreements: sign the contract, send a report) adds its own
"what next" for the states it owns with :func:`register`, from its ``AppConfig.ready()``; the
first provider that answers wins, before the application's own answer.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from funds.questions import localized

from . import permissions
from .actions import APPLICATION_ACTIONS
from .models import Application
from .selectors import open_officer_comments
from .services.drafting import EDITABLE_STATES
from .services.referral_start import referral_start_refusal


@dataclass(frozen=True)
class Task:
    """The next thing to do: a sentence, and where to do it."""

    text: str
    url: str = ""
    link_text: str = ""
    #: "do": the network acts; "wait": the fund acts; "done": nothing left to do.
    kind: str = "do"


@dataclass(frozen=True)
class OpenComments:
    """The fund's open comments on one question (or on a step in general)."""

    step_title: str
    question: str
    count: int
    url: str


Provider = Callable[[Application, object], Task | None]
_providers: list[Provider] = []


def register(provider: Provider) -> None:
    """A higher app says what is next in the states it owns (``provider(application, user)``)."""
    if provider not in _providers:
        _providers.append(provider)


def _step_url(application: Application, step, anchor: str = "") -> str:
    url = reverse("step_detail", args=[application.pk, step.key])
    return f"{url}#{anchor}" if anchor else url


def _drafting_task(application: Application, user) -> Task:
    step = application.current_step
    title = step.display_title
    url, link = _step_url(application, step), _("Go to the step %(step)s") % {"step": title}
    offered = {offer.name for offer in APPLICATION_ACTIONS.available(application, user)}
    if "submit_step" in offered:
        return Task(
            _("The step %(step)s is complete: submit it to the fund.") % {"step": title}, url, link
        )
    if application.state == Application.State.CHANGES_REQUESTED:
        text = _(
            "The fund asked for changes to the step %(step)s. Make them, then submit the step "
            "again."
        ) % {"step": title}
    else:
        text = _("Write the step %(step)s: answer its questions.") % {"step": title}
    if permissions.coordinator_refusal(application, user) is not None:
        # Not a coordinator: say who submits it.
        text = f"{text} {_('A coordinator of your network submits it.')}"
    return Task(text, url, link)


def _referred_programme_to_apply(application: Application, user):
    """The first programme a referral of this declined application names where ``user`` may
    start with the answers already written (``referral_start_refusal``), or ``None``."""
    for referral in application.referrals.filter(programme__isnull=False).select_related(
        "programme"
    ):
        referral.application = application
        if referral_start_refusal(referral, user) is None:
            return referral.programme
    return None


def next_task(application: Application, user) -> Task:
    """The one next thing for this member of the network."""
    for provider in _providers:
        task = provider(application, user)
        if task is not None:
            return task
    state = application.state
    State = Application.State
    if state in EDITABLE_STATES and application.current_step is not None:
        return _drafting_task(application, user)
    if state == State.STEP_SUBMITTED and application.current_step is not None:
        step = application.current_step
        return Task(
            _("Wait for the fund: it is reviewing the step %(step)s.")
            % {"step": step.display_title},
            kind="wait",
        )
    if state == State.READY_FOR_DECISION:
        return Task(_("Wait for the fund's decision: every step is accepted."), kind="wait")
    if state == State.AWARDED:
        return Task(
            _(
                "The application is awarded. The fund prepares the agreement; everyone who "
                "signs it gets a personal link by e-mail."
            ),
            kind="wait",
        )
    if state == State.CONTRACTED:
        return Task(
            _("The agreement is signed. Carry out your plan and send your reports on time.")
        )
    if state == State.DECLINED:
        if programme := _referred_programme_to_apply(application, user):
            return Task(
                _(
                    "The fund said no, and referred you to %(programme)s. You can apply there "
                    "with the answers you already wrote."
                )
                % {"programme": programme.title},
                "#decision-heading",
                _("Read the fund's decision"),
            )
        return Task(
            _("The fund said no. Read why, its advice, and where you can go next."),
            "#decision-heading",
            _("Read the fund's decision"),
            kind="done",
        )
    if state == State.WITHDRAWN:
        return Task(_("Nothing: the application is withdrawn."), kind="done")
    return Task(_("Nothing: the application is completed."), kind="done")


def open_comments(application: Application) -> list[OpenComments]:
    """The fund's open comments, per question, each with a link to that question's thread."""
    grouped: dict[tuple[int, str], list] = {}
    steps = {}
    for comment in open_officer_comments(application):
        grouped.setdefault((comment.step_id, comment.question_key), []).append(comment)
        steps[comment.step_id] = comment.step
    found = []
    for (step_id, key), comments in grouped.items():
        step = steps[step_id]
        question = step.question(key) if key else None
        found.append(
            OpenComments(
                step_title=step.display_title,
                question=localized(question["label"]) if question else _("The step in general"),
                count=len(comments),
                url=_step_url(application, step, f"thread-{key if question else 'general'}"),
            )
        )
    return found
