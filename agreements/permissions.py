"""Who may act on agreements, tranches and reports: the reason shown, or ``None``.

Roles are per relationship, as for applications (``applications.permissions``): the fund's
officers and managers prepare, send, cancel, pay and review, never for their own network; the
network's members report. Money has four eyes on top: where the fund asks for it, the person
who marks a tranche paid is neither the one who awarded the grant nor the one who prepared the
agreement. Those are people, not accounts (``core.people``): a fund's API key counts as the
manager who created it, so a manager refused "mark paid" cannot pay through a key of her own.

The action registries (``agreements.actions``), the models' django-fsm permissions and the
services (again, under their row lock) all ask these functions.
"""

from django.utils.translation import gettext as _
from django_fsm_log.models import StateLog

from applications import permissions as application_permissions
from core import people


def four_eyes_message() -> str:
    return _(
        "Four eyes on money: someone other than the person who awarded the grant or "
        "prepared the agreement marks it paid."
    )


def four_eyes_unknown_message() -> str:
    return _(
        "Four eyes on money: the person who created this key is no longer known, so it cannot "
        "mark anything paid."
    )


def _awarding_account(application) -> int | None:
    """The account that awarded the application (the latest award): a person's, or a key's."""
    return (
        StateLog.objects.for_(application)
        .filter(transition="award")
        .order_by("-timestamp", "-pk")
        .values_list("by_id", flat=True)
        .first()
    )


def awarded_by(application) -> int | None:
    """The id of the person who awarded the application (the latest award), if any.

    The log keeps the account that awarded; when that was a key, this is the key's creator.
    """
    return people.person_id(_awarding_account(application))


def prepare_refusal(application, user) -> str | None:
    """Preparing an agreement, or an amendment, is for the fund's officers."""
    return application_permissions.officer_refusal(application, user)


def agreement_officer_refusal(agreement, user) -> str | None:
    """Editing, sending and cancelling an agreement, and reviewing its reports."""
    return application_permissions.officer_refusal(agreement.application, user)


def agreement_member_refusal(agreement, user) -> str | None:
    """Reporting on an agreement is for the network's members."""
    return application_permissions.member_refusal(agreement.application, user)


def four_eyes_refusal(agreement, user) -> str | None:
    """Where the fund wants four eyes on money: not the awarding or the preparing person.

    People are compared, not accounts: each of the three accounts (the one acting now, the one
    that prepared the agreement, the one that awarded) stands for its person, a key for the
    manager who created it (``core.people``, one query for the three).
    """
    application = agreement.application
    if not application.programme.fund.four_eyes_on_payments:
        return None
    if getattr(user, "pk", None) is None:
        return None  # nobody signed in: the role check says why
    payer, preparer, awarder = people.person_ids(
        [user, agreement.prepared_by_id, _awarding_account(application)]
    )
    if payer is None:
        return four_eyes_unknown_message()
    if payer in (preparer, awarder):
        return four_eyes_message()
    return None


def countersign_message() -> str:
    return _(
        "Four eyes: the fund's signature comes from a manager who neither awarded the grant nor "
        "prepared this agreement. Ask another manager of the fund to countersign."
    )


def countersign_refusal(agreement, user) -> str | None:
    """Signing for the fund, last: a manager of the fund, not for their own network, and never
    the person who awarded the grant or prepared the agreement (whatever the payment setting:
    the contract binds the fund, so it always has four eyes)."""
    refusal = application_permissions.manager_refusal(agreement.application, user)
    if refusal is not None:
        return refusal
    email = (getattr(user, "email", "") or "").strip().casefold()
    if email and any(
        signatory.email.strip().casefold() == email
        for signatory in agreement.signatories.all()
        if signatory.role != signatory.Role.FUND
    ):
        # One person, one side: who signs for the network cannot be the fund's signature too.
        return _(
            "You sign this agreement for the network. Another manager of the fund countersigns."
        )
    signer, preparer, awarder = people.person_ids(
        [user, agreement.prepared_by_id, _awarding_account(agreement.application)]
    )
    if signer is None or signer in (preparer, awarder):
        return countersign_message()
    return None


def mark_paid_refusal(tranche, user) -> str | None:
    agreement = tranche.agreement
    return agreement_officer_refusal(agreement, user) or four_eyes_refusal(agreement, user)


def report_review_refusal(report, user) -> str | None:
    """Accepting a report, or asking for changes, is for the fund's officers."""
    return agreement_officer_refusal(report.agreement, user)


def report_resubmit_refusal(report, user) -> str | None:
    return agreement_member_refusal(report.agreement, user)


def is_agreement_officer(agreement, user) -> bool:
    return agreement_officer_refusal(agreement, user) is None


def is_agreement_member(agreement, user) -> bool:
    return agreement_member_refusal(agreement, user) is None
