"""A warm referral: "Apply here with my answers".

A fund that declines may refer the network to another programme in Eigenwijs. From that
referral a coordinator starts an application there, with the Idea answers the network already
wrote copied into the new application's first step, as its own first draft. The new fund sees
the answers only when the network submits the step; the referring fund follows what became of
its referral (``applications.referral_outcomes``).

``referral_start_refusal`` is the one rule: the declined application's page asks it before it
offers the button, and ``application_start_from_referral`` asks it again inside its transaction.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from applications import permissions
from applications.models import Application, Network, Referral, Revision, Step
from core.events import record_event
from core.exceptions import InvalidTransition
from funds.questions import is_blank, validate_answers

from .starting import application_create, eligibility_refusal

#: The step whose answers travel along; a programme without it gives its first step's.
IDEA_STEP = "idea"


@dataclass(frozen=True)
class StartRefusal:
    """Why a referral cannot be used to start an application now."""

    reason: str
    #: True when only the person's role is the problem (403), not the moment (409).
    is_role: bool = False
    #: The network's open application to that programme, when that is why: a link to it.
    open_application: Application | None = None

    def __str__(self) -> str:
        return self.reason


@dataclass(frozen=True)
class ReferralStart:
    """What starting from a referral made, for the message the person reads."""

    application: Application
    #: How many answers came along, and how many did not fit the new step.
    copied: int
    left_out: int


def referral_start_refusal(referral: Referral, user) -> StartRefusal | None:
    """Why ``user`` cannot start an application from ``referral`` now; ``None`` if they can.

    Only a coordinator of the referred network starts; the referral must name a programme in
    Eigenwijs that the network may apply to now (``eligibility_refusal``: open, its legal form,
    enough people to sign, its region) and where it has no open application yet (then the
    refusal links to that one)."""
    declined = referral.application
    refusal = permissions.coordinator_refusal(declined, user)
    if refusal is not None:
        return StartRefusal(refusal, is_role=True)
    programme = referral.programme
    if programme is None:
        return StartRefusal(
            _("This referral is to an organisation or person: get in touch with them directly.")
        )
    network = declined.network
    # Closed, legal form, too few people to sign, region: the start page's own rule.
    if reason := eligibility_refusal(network=network, programme=programme):
        return StartRefusal(reason)
    existing = (
        Application.objects.filter(
            network=network, programme=programme, state__in=Application.OPEN_STATES
        )
        .order_by("-pk")
        .first()
    )
    if existing is not None:
        return StartRefusal(
            _("Your network already has an open application here."),
            open_application=existing,
        )
    return None


def _source_step(application: Application) -> Step | None:
    """The declined application's Idea step: by its key, else the first step."""
    steps = list(application.steps.order_by("order"))
    return next((step for step in steps if step.key == IDEA_STEP), steps[0] if steps else None)


def copyable_answers(source: Step | None, target: Step, *, accepted_arrangements) -> dict:
    """The answers of ``source``'s latest revision that the ``target`` step asks too, each
    cleaned by the target's own rules; an answer that does not fit is left out, not refused."""
    revision = source.latest_revision if source is not None else None
    if revision is None:
        return {}
    keys = {question["key"] for question in target.questions}
    copied = {}
    for key, value in revision.content.items():
        if key not in keys or is_blank(value):
            continue
        try:
            cleaned = validate_answers(
                target.questions, {key: value}, accepted_arrangements=accepted_arrangements
            )
        except ValidationError:
            continue
        copied.update(cleaned)
    return copied


def _answered(source: Step | None) -> int:
    revision = source.latest_revision if source is not None else None
    if revision is None:
        return 0
    return sum(1 for value in revision.content.values() if not is_blank(value))


@transaction.atomic
def application_start_from_referral(
    *,
    referral: Referral,
    actor,
    title: str | None = None,
    requested_amount: Decimal | str | None = None,
) -> ReferralStart:
    """Start an application at the programme ``referral`` names, with the Idea answers of the
    declined application as the coordinator's first draft of the new first step.

    Title and amount are the declined application's unless given; the amount is capped at the
    new programme's maximum. Raises PermissionDenied (role), InvalidTransition (not now, with
    the reason) or ValidationError (a bad title or amount)."""
    referral = Referral.objects.select_related(
        "application__network", "application__programme__fund", "programme__fund"
    ).get(pk=referral.pk)
    declined = referral.application
    # The same lock application_create takes, taken first: two taps start one application.
    Network.objects.select_for_update().filter(pk=declined.network_id).first()
    refusal = referral_start_refusal(referral, actor)
    if refusal is not None:
        if refusal.is_role:
            raise PermissionDenied(refusal.reason)
        raise InvalidTransition(refusal.reason)
    programme = referral.programme
    if requested_amount is None:
        requested_amount = min(declined.requested_amount, programme.max_amount)
    application = application_create(
        network=declined.network,
        programme=programme,
        actor=actor,
        title=declined.title if title is None else title,
        requested_amount=requested_amount,
        referral=referral,
    )

    source = _source_step(declined)
    target = application.current_step
    answers = copyable_answers(
        source, target, accepted_arrangements=programme.accepted_arrangements
    )
    if answers:
        Revision.objects.create(step=target, number=1, content=answers, author=actor)
    # For the referring fund's back office: its referral was taken up. Only ids: the new
    # application is the other fund's, and the network's to show.
    record_event(
        "referral.started",
        fund=declined.programme.fund_id,
        payload={
            "referral_id": referral.pk,
            "application_id": declined.pk,
            "programme_id": programme.pk,
        },
    )
    return ReferralStart(
        application=application,
        copied=len(answers),
        left_out=max(_answered(source) - len(answers), 0),
    )
