"""The daily retention job: erase what has been kept long enough (``privacy.policy`` says how long).

Idempotent: it only touches rows that still hold something to erase, so a second run the same day
changes nothing. Every batch is its own transaction, so a long run holds no lock for long and a
crash keeps what was done. ``now`` is a parameter (the tests fix the clock with it).

Run it from cron (``manage.py apply_retention``) or let the task worker run it every night
(``privacy.tasks``). Executed contract PDFs are never touched: their fingerprint is the proof.
"""

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from importlib import import_module
from itertools import islice

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Case, DateTimeField, Exists, F, OuterRef, Q, Subquery, When
from django.db.models.deletion import ProtectedError
from django.db.models.functions import Coalesce
from django_fsm_log.models import StateLog

from agreements.models import Agreement, Signatory
from applications.models import Application, ApplicationHelper, NetworkInvitation
from notifications.models import Notification, ReminderSent
from privacy.models import FundRetention
from privacy.policy import (
    CLOSED_INVITATION_DAYS,
    MESSAGE_DAYS,
    SIGNATORY_DETAILS,
    SIGNATURE_EVIDENCE,
    UNUSED_ACCOUNT_DAYS,
    months,
)

BATCH = 500

HAS_EVIDENCE = Q(ip_address__isnull=False) | ~Q(user_agent="")
HAS_DETAILS = Q(date_of_birth__isnull=False) | ~Q(address="")


@dataclass
class RetentionResult:
    signature_evidence: int = 0  # signatories whose IP address and browser were erased
    signatory_details: int = 0  # signatories whose birth date and address were erased
    unused_accounts: int = 0
    closed_invitations: int = 0
    old_messages: int = 0  # notifications older than MESSAGE_DAYS (sent or not sendable)

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def apply_retention(*, now: datetime.datetime) -> RetentionResult:
    result = RetentionResult()
    evidence, details = _due_signatories(now)
    result.signature_evidence = _update_in_batches(
        evidence, HAS_EVIDENCE, ip_address=None, user_agent=""
    )
    result.signatory_details = _update_in_batches(
        details, HAS_DETAILS, date_of_birth=None, address=""
    )
    result.unused_accounts = erase_unused_accounts(now=now)
    result.closed_invitations = erase_closed_invitations(now=now)
    result.old_messages = erase_old_messages(now=now)
    # Expired sessions hold the account they belonged to: Django's own clean-up.
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    return result


def _batches(ids: Iterable[int]) -> Iterator[list[int]]:
    iterator = iter(ids)
    while batch := list(islice(iterator, BATCH)):
        yield batch


# ---------------------------------------------------------------------------------------------
# Signatories


def _last_entered(model, state: str):
    """When the object of the outer row (``OuterRef("pk")``) last entered ``state``."""
    return Subquery(
        StateLog.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id=OuterRef("pk"),
            state=state,
        )
        .order_by("-timestamp")
        .values("timestamp")[:1]
    )


def ended_agreements():
    """Agreements that ended, with ``ended_at``: cancelled, or executed and the application closed.

    The moment comes from the transition log; an agreement from before the log (none in
    practice) counts from its last change the model knows.
    """
    closed_at = Application.objects.filter(pk=OuterRef("application_id")).annotate(
        closed_at=_last_entered(Application, Application.State.CLOSED)
    )
    return (
        Agreement.objects.filter(
            Q(state=Agreement.State.CANCELLED)
            | Q(state=Agreement.State.EXECUTED, application__state=Application.State.CLOSED)
        )
        .annotate(
            ended_at=Case(
                When(
                    state=Agreement.State.CANCELLED,
                    then=Coalesce(
                        _last_entered(Agreement, Agreement.State.CANCELLED),
                        F("sent_at"),
                        F("created_at"),
                    ),
                ),
                default=Coalesce(
                    Subquery(closed_at.values("closed_at")[:1]),
                    F("application__updated_at"),
                ),
                output_field=DateTimeField(),
            ),
            fund_id=F("application__programme__fund_id"),
        )
        .values_list("pk", "state", "fund_id", "ended_at")
    )


def _due_signatories(now) -> tuple[list[int], list[int]]:
    """The agreements whose signatories' evidence, and whose details, are due to be erased."""
    periods = {
        fund_id: (months(details), months(evidence))
        for fund_id, details, evidence in FundRetention.objects.values_list(
            "fund_id", "signatory_details_months", "signature_evidence_months"
        )
    }
    default = (months(SIGNATORY_DETAILS.default), months(SIGNATURE_EVIDENCE.default))
    holding = Signatory.objects.filter(agreement=OuterRef("pk")).filter(HAS_EVIDENCE | HAS_DETAILS)
    evidence_due, details_due = [], []
    for pk, state, fund_id, ended_at in ended_agreements().filter(Exists(holding)).iterator():
        details, evidence = periods.get(fund_id, default)
        if state == Agreement.State.CANCELLED:
            # Nothing was paid, so no payment record needs the signatories' details either.
            details = evidence
        if ended_at + evidence <= now:
            evidence_due.append(pk)
        if ended_at + details <= now:
            details_due.append(pk)
    return evidence_due, details_due


def _update_in_batches(agreement_ids: list[int], holding: Q, **erase) -> int:
    erased = 0
    for batch in _batches(agreement_ids):
        with transaction.atomic():
            erased += (
                Signatory.objects.filter(agreement_id__in=batch).filter(holding).update(**erase)
            )
    return erased


# ---------------------------------------------------------------------------------------------
# Accounts and invitations


def unused_accounts(*, now):
    """Accounts that never signed in, belong to no network or fund and are older than the period.

    A key's account never signs in either, but it is a member of its fund; a deleted account is
    inactive and stays as the placeholder the records point at.
    """
    return get_user_model().objects.filter(
        last_login__isnull=True,
        is_active=True,
        is_staff=False,
        is_superuser=False,
        date_joined__lte=now - datetime.timedelta(days=UNUSED_ACCOUNT_DAYS),
        network_memberships__isnull=True,
        fund_memberships__isnull=True,
        fund_api_key__isnull=True,
        access_tokens__isnull=True,
        provider_roles__isnull=True,
    )


def _deleted(outcome) -> int:
    """How many accounts a ``delete()`` removed (not the rows it cascaded to)."""
    return outcome[1].get(get_user_model()._meta.label, 0)


def erase_unused_accounts(*, now) -> int:
    unused = unused_accounts(now=now)
    erased = 0
    for batch in _batches(list(unused.values_list("pk", flat=True))):
        try:
            with transaction.atomic():
                # Asked again inside the batch: someone may have signed in since the list was read.
                erased += _deleted(unused.filter(pk__in=batch).delete())
        except ProtectedError:
            # Something that must stay points at one of them: delete the others one by one.
            for pk in batch:
                try:
                    with transaction.atomic():
                        erased += _deleted(unused.filter(pk=pk).delete())
                except ProtectedError:
                    continue
    return erased


def closed_invitations(*, now):
    """Invitations nobody accepted that expired, were declined or withdrawn before the period."""
    before = now - datetime.timedelta(days=CLOSED_INVITATION_DAYS)
    return NetworkInvitation.objects.filter(accepted_at__isnull=True).filter(
        Q(declined_at__lte=before)
        | Q(revoked_at__lte=before)
        | Q(declined_at__isnull=True, revoked_at__isnull=True, expires_at__lte=before)
    )


def closed_helper_invitations(*, now):
    """Invitations to help with an application that nobody accepted, closed before the period:
    the same period as a network's invitations."""
    before = now - datetime.timedelta(days=CLOSED_INVITATION_DAYS)
    return ApplicationHelper.objects.filter(accepted_at__isnull=True).filter(
        Q(declined_at__lte=before)
        | Q(removed_at__lte=before)
        | Q(declined_at__isnull=True, removed_at__isnull=True, expires_at__lte=before)
    )


def erase_closed_invitations(*, now) -> int:
    erased = 0
    for closed in (closed_invitations(now=now), closed_helper_invitations(now=now)):
        for batch in _batches(list(closed.values_list("pk", flat=True))):
            with transaction.atomic():
                erased += closed.filter(pk__in=batch).delete()[0]
    return erased


def erase_old_messages(*, now) -> int:
    """Messages older than MESSAGE_DAYS that are no longer waiting to be sent, and the record of
    reminders as old (a reminder that old can never be due again)."""
    before = now - datetime.timedelta(days=MESSAGE_DAYS)
    old = Notification.objects.filter(created_at__lt=before).exclude(
        mail__in=[Notification.Mail.PENDING, Notification.Mail.DIGEST]
    )
    erased = 0
    for batch in _batches(list(old.values_list("pk", flat=True))):
        with transaction.atomic():
            erased += old.filter(pk__in=batch).delete()[0]
    ReminderSent.objects.filter(sent_at__lt=before).delete()
    return erased
