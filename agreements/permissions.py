"""Who may act on agreements, tranches and reports: the reason shown, or ``None``.

Roles are per relationship, as for applications (``applications.permissions``): the fund's
officers and managers prepare, send, cancel, pay and review, never for their own network; the
network's members report. Money has four eyes on top: where the fund asks for it, the person
who marks a tranche paid is neither the one who awarded the grant nor the one who prepared the
agreement.

The action registries (``agreements.actions``), the models' django-fsm permissions and the
services (again, under their row lock) all ask these functions.
"""

from django.utils.translation import gettext as _
from django_fsm_log.models import StateLog

from applications import permissions as application_permissions


def four_eyes_message() -> str:
    return _(
        "Four eyes on money: someone other than the person who awarded the grant or "
        "prepared the agreement marks it paid."
    )


def awarded_by(application) -> int | None:
    """The id of the person who awarded the application (the latest award), if any."""
    entry = (
        StateLog.objects.for_(application).filter(transition="award").order_by("-timestamp").first()
    )
    return entry.by_id if entry else None


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
    """Where the fund wants four eyes on money: not the awarding or the preparing person."""
    application = agreement.application
    if not application.programme.fund.four_eyes_on_payments:
        return None
    user_id = getattr(user, "pk", None)
    if user_id is not None and user_id in (agreement.prepared_by_id, awarded_by(application)):
        return four_eyes_message()
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
