"""Messages about an application, to the other side of the conversation, and invitations.

Each message is written with ``notifications.services.notify`` inside the transaction of the
change it reports, after the change: a rolled-back change writes no message, and the mail worker
sends what was written once the change commits. Who hears of what comes from
``applications.audiences``: an officer's act goes to the network's members, a member's to the
fund side (the lead officer, else everyone at the fund), never to the person who acted. Each
message links to the exact place: the question's thread on the step page, the next step, the
decision on the application page.

The services call in here: ``comment_created`` (``comment_create``), ``transition_done``
(``run_transition``), ``invitation_sent`` (inviting and resending), ``helper_invited`` and
``helper_accepted`` (``services.helpers``).
"""

import dataclasses
import datetime

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from applications.audiences import fund_side, helpers_side, network_side
from applications.helper_links import helper_url, is_pending
from applications.invitation_links import invitation_url
from applications.models import Application, ApplicationHelper, Comment, NetworkInvitation, Step
from funds.working_days import promised_reply_date
from notifications.services import address, notify

TEMPLATES = "applications/email"
#: The link maker that makes an invitation's personal link when its message is sent.
INVITATION_LINK = "applications.invitation"
#: The same, for an invitation to help write an application.
HELPER_LINK = "applications.helper"


# ---------------------------------------------------------------------------------------------
# Places and small helpers


def step_path(step: Step, question_key: str | None = None) -> str:
    """The step's page; with ``question_key`` ("" for the general comments), that thread."""
    path = reverse("step_detail", args=[step.application_id, step.key])
    if question_key is None:
        return path
    return f"{path}#thread-{question_key or 'general'}"


def application_path(application: Application, anchor: str = "") -> str:
    path = reverse("application_detail", args=[application.pk])
    return f"{path}#{anchor}" if anchor else path


def quote(text: str) -> str:
    """``text`` as an e-mail quote: every line starts with "> "."""
    return "\n".join(f"> {line}".rstrip() for line in (text or "").strip().splitlines())


def name_of(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _context(application: Application, **extra) -> dict:
    return {"application": application, "title": application.title, **extra}


# ---------------------------------------------------------------------------------------------
# The promised reply: in the receipt and on the screen


def reply_promised_by(application: Application) -> datetime.date | None:
    """The day the fund promised to answer the step now waiting for review (None: none waits)."""
    if application.state != Application.State.STEP_SUBMITTED or application.current_step is None:
        return None
    submission = application.current_step.submissions.order_by("-submitted_at", "-pk").first()
    if submission is None:
        return None
    return promised_reply_date(application.programme, submission.submitted_at)


def promised_reply_text(day: datetime.date) -> str:
    """The promise "You will hear from us by 12 December 2026", in the active language."""
    return _("You will hear from us by %(date)s.") % {"date": date_format(day, "j F Y")}


def submitted_message(application: Application) -> str:
    """What the network reads on screen right after submitting a step."""
    day = reply_promised_by(application) or promised_reply_date(
        application.programme, timezone.now()
    )
    return f"{_('The step is submitted.')} {promised_reply_text(day)}"


# ---------------------------------------------------------------------------------------------
# Comments


def comment_created(comment: Comment, *, actor) -> None:
    """A comment goes to the other side: an officer's to the network, a member's to the fund."""
    step = comment.step
    application = step.application
    from_fund = comment.author_role == Comment.AuthorRole.OFFICER
    # The fund's questions reach the helpers too: they may be the ones who write the answer.
    recipients = (
        network_side(application, exclude=actor) + helpers_side(application, exclude=actor)
        if from_fund
        else fund_side(application, exclude=actor)
    )
    question = step.question(comment.question_key) if comment.question_key else None
    notify(
        recipients,
        kind="comment.created",
        template=f"{TEMPLATES}/comment",
        context=_context(
            application,
            step=step,
            author=name_of(comment.author),
            side=application.programme.fund.name if from_fund else application.network.name,
            question_label=question["label"] if question else "",
            quote=quote(comment.body),
        ),
        path=step_path(step, comment.question_key),
    )


# ---------------------------------------------------------------------------------------------
# Workflow transitions


def transition_done(
    application: Application, transition_name: str, *, step: Step | None, actor, note: str = ""
) -> None:
    """Tell the other side of ``transition_name``; ``step`` is the step acted on (before an
    accepted step moves the application on). Called by ``run_transition``, after the change."""
    message = TRANSITION_MESSAGES.get(transition_name)
    if message is not None:
        message(application, step=step, actor=actor, note=quote(note))


def _step_submitted(application: Application, *, step: Step, actor, note: str) -> None:
    submission = (
        step.submissions.select_related("revision", "submitted_by")
        .order_by("-submitted_at", "-pk")
        .first()
    )
    submitted_at = submission.submitted_at if submission else timezone.now()
    context = _context(
        application,
        step=step,
        submitter=name_of(submission.submitted_by if submission else actor),
        version=submission.revision.number if submission else None,
        submitted_at=submitted_at,
        reply_by=promised_reply_date(application.programme, submitted_at),
        note=note,
    )
    path = step_path(step)
    # A receipt to every member, the one who submitted included: they asked for nothing else.
    notify(
        network_side(application),
        kind="step.submitted.receipt",
        template=f"{TEMPLATES}/step_submitted_receipt",
        context=context,
        path=path,
    )
    notify(
        fund_side(application, exclude=actor),
        kind="step.submitted",
        template=f"{TEMPLATES}/step_submitted",
        context=context,
        path=path,
    )


def _open_questions(step: Step) -> list[dict]:
    """The officers' open comments on ``step``, grouped under the question each is about, in
    the order of the questions; the general ones (and any about an unknown key) last."""
    comments = step.comments.filter(
        resolved_at__isnull=True, author_role=Comment.AuthorRole.OFFICER
    ).order_by("created_at", "pk")
    by_key: dict[str, list[str]] = {}
    for comment in comments:
        by_key.setdefault(comment.question_key, []).append(quote(comment.body))
    groups = []
    for question in step.questions:
        if question["key"] in by_key:
            groups.append(
                {
                    "key": question["key"],
                    "label": question["label"],
                    "quotes": by_key.pop(question["key"]),
                }
            )
    general = [text for quotes in by_key.values() for text in quotes]
    if general:
        groups.append({"key": "", "label": "", "quotes": general})
    return groups


def _changes_requested(application: Application, *, step: Step, actor, note: str) -> None:
    questions = _open_questions(step)
    first = questions[0]["key"] if questions else ""
    notify(
        network_side(application, exclude=actor),
        kind="step.changes_requested",
        template=f"{TEMPLATES}/changes_requested",
        context=_context(
            application, step=step, questions=questions, note=note, officer=name_of(actor)
        ),
        path=step_path(step, first),
    )


def _step_accepted(application: Application, *, step: Step, actor, note: str) -> None:
    all_accepted = application.state == Application.State.READY_FOR_DECISION
    next_step = None if all_accepted else application.current_step
    notify(
        network_side(application, exclude=actor),
        kind="step.accepted",
        template=f"{TEMPLATES}/step_accepted",
        context=_context(application, step=step, next_step=next_step, note=note),
        path=application_path(application) if next_step is None else step_path(next_step),
    )


def _declined(application: Application, *, step, actor, note: str) -> None:
    notify(
        network_side(application, exclude=actor),
        kind="application.declined",
        template=f"{TEMPLATES}/declined",
        context=_context(
            application,
            referrals=list(application.referrals.select_related("programme__fund")),
            note=note,
        ),
        path=application_path(application, "decision-heading"),
    )


def _awarded(application: Application, *, step, actor, note: str) -> None:
    notify(
        network_side(application, exclude=actor),
        kind="application.awarded",
        template=f"{TEMPLATES}/awarded",
        context=_context(application, amount=application.awarded_amount, note=note),
        path=application_path(application),
    )


def _withdrawn(application: Application, *, step, actor, note: str) -> None:
    notify(
        fund_side(application, exclude=actor),
        kind="application.withdrawn",
        template=f"{TEMPLATES}/withdrawn",
        context=_context(application, network=application.network.name, note=note),
        path=application_path(application),
    )


def _closed(application: Application, *, step, actor, note: str) -> None:
    notify(
        network_side(application, exclude=actor),
        kind="application.closed",
        template=f"{TEMPLATES}/closed",
        context=_context(application),
        path=application_path(application),
    )


TRANSITION_MESSAGES = {
    "submit_step": _step_submitted,
    "request_changes": _changes_requested,
    "accept_step": _step_accepted,
    "decline": _declined,
    "award": _awarded,
    "withdraw": _withdrawn,
    # "contract" has no message of its own here: agreements tells every signatory and the fund
    # (with the contract attached) and the coordinators who did not sign.
    "close": _closed,
}


# ---------------------------------------------------------------------------------------------
# Invitations


def invitation_sent(invitation: NetworkInvitation) -> None:
    """The invitation's personal link, to the address as the coordinator typed it.

    Written the same way whether or not the address has an account, so the inviter learns
    nothing. It is ``required``: a personal link someone else asked to send, which the invitee
    cannot have chosen to receive less often, and without it the invitation is lost. The link
    is made when the mail goes (``invitation_link``), so the message never holds a stale one.
    """
    inviter = invitation.invited_by
    notify(
        [address(invitation.email)],
        kind="network.invitation",
        template=f"{TEMPLATES}/invitation",
        # The role's name is read in the template, in the recipient's language.
        context={
            "invitation": invitation,
            "network": invitation.network.name,
            "inviter": name_of(inviter),
            "expires_at": invitation.expires_at,
        },
        # No token in the stored message: the list's entry opens it for the invited address.
        path=reverse("invitation_open", args=[invitation.pk]),
        required=True,
        link_maker=INVITATION_LINK,
        link_object_id=invitation.pk,
    )


def invitation_link(invitation_id: int) -> str | None:
    """The link maker (``applications.apps``): the current link of an open invitation."""
    invitation = NetworkInvitation.objects.filter(pk=invitation_id).first()
    if invitation is None or not invitation.is_open:
        return None
    return invitation_url(invitation)


# ---------------------------------------------------------------------------------------------
# Helpers


def helper_invited(helper: ApplicationHelper) -> None:
    """The invitation to help, with its personal link, to the address as the coordinator typed
    it; written the same way whether or not the address has an account.

    In the account's language when there is one, else in the language of the coordinator's
    page (they know the person they invite; the site's default may not fit). ``required``, and
    the link is made when the mail goes, as a network invitation's (``invitation_sent``).
    """
    recipient = address(helper.email)
    if recipient.user is None:
        recipient = dataclasses.replace(recipient, language=translation.get_language() or "")
    application = helper.application
    notify(
        [recipient],
        kind="application.helper_invited",
        template=f"{TEMPLATES}/helper_invitation",
        context={
            "helper": helper,
            "network": application.network.name,
            "title": application.title,
            "fund": application.programme.fund.name,
            "inviter": name_of(helper.invited_by),
            "expires_at": helper.expires_at,
        },
        path=reverse("helper_open", args=[helper.pk]),
        required=True,
        link_maker=HELPER_LINK,
        link_object_id=helper.pk,
    )


def helper_link(helper_id: int) -> str | None:
    """The link maker (``applications.apps``): the current link of a pending invitation."""
    helper = ApplicationHelper.objects.select_related("application").filter(pk=helper_id).first()
    if helper is None or not is_pending(helper) or not helper.application.is_open:
        return None
    return helper_url(helper)


def helper_accepted(helper: ApplicationHelper) -> None:
    """The network's coordinators hear that someone now helps write their application."""
    application = helper.application
    notify(
        network_side(application, exclude=helper.user, coordinators_only=True),
        kind="application.helper_accepted",
        template=f"{TEMPLATES}/helper_accepted",
        context=_context(application, helper_name=name_of(helper.user)),
        path=application_path(application, "helpers-heading"),
    )
