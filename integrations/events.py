"""Events for the funds' back offices: recorded with the change, sent as webhooks after it.

Domain services call ``record_event`` (or ``record_transition`` from their one shared transition
helper) inside their own transaction. The event row is the outbox: it commits or rolls back with
the change. Only after the commit does the event fan out into deliveries (``transaction.on_commit``);
``manage.py deliver_webhooks --sweep`` fans out whatever a crash left behind.

Payloads are small and stable: ids, a few type-specific fields and ``occurred_at``. Never a
secret, a signing token or personal details; a back office fetches more through the API.
"""

import datetime
from decimal import Decimal
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integrations.models import Event

#: Every event type a fund can subscribe to, with what it means.
EVENT_TYPES = {
    "application.created": _("An application is started"),
    "application.transitioned": _("An application moves to another state"),
    "step.submitted": _("A network submits a step"),
    "comment.created": _("A comment is written on a step"),
    "agreement.executed": _("An agreement is signed by everyone"),
    "tranche.due": _("A tranche becomes due for payment"),
    "tranche.paid": _("A tranche is marked paid"),
    "report.submitted": _("A network submits a report"),
    "allocation.changed": _("Support hours are reserved, confirmed, logged, closed or released"),
}
#: Sent only by "send test event", to one endpoint.
TEST_EVENT = "webhook.test"
CENTS = Decimal("0.01")


def iso(moment) -> str:
    """A UTC timestamp as RFC 3339 with a ``Z``."""
    return moment.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def _plain(value):
    if isinstance(value, Decimal):  # amounts in euros and hours: always two decimals
        return str(value.quantize(CENTS))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def record_event(
    event_type: str, *, fund=None, payload: dict | None = None, subject=None, **fields
) -> Event:
    """Write one event in the caller's transaction; it fans out to webhooks after the commit.

    Either give ``fund`` and ``payload``, or a domain object as ``subject``: its fund and its
    standard payload are then derived from it, and ``fields`` are added to the payload.
    """
    now = timezone.now()
    data = {}
    fund_id = getattr(fund, "pk", fund)
    if subject is not None:
        subject_fund_id, data = describe(subject)
        fund_id = fund_id or subject_fund_id
    data = {**data, **(payload or {}), **fields}
    data = {key: _plain(value) for key, value in data.items()}
    data["occurred_at"] = iso(now)
    event = Event.objects.create(fund_id=fund_id, type=event_type, payload=data, created_at=now)
    transaction.on_commit(partial(_fan_out, event.pk), robust=True)
    return event


def _fan_out(event_id) -> None:
    from integrations.webhooks.fanout import fan_out

    fan_out(event_id)


def transition_event_type(instance, transition_name: str) -> str | None:
    """Which event, if any, a transition of this kind of object stands for."""
    label = instance._meta.label_lower
    if label == "applications.application":
        return "application.transitioned"
    if label == "agreements.agreement":
        return "agreement.executed" if transition_name == "execute" else None
    if label == "agreements.tranche":
        return {"make_due": "tranche.due", "mark_paid": "tranche.paid"}.get(transition_name)
    if label == "agreements.report":
        return "report.submitted" if transition_name == "resubmit" else None
    if label == "pools.allocation":
        return "allocation.changed"
    return None


def record_transition(instance, transition_name: str) -> Event | None:
    """The event for a transition that was just saved, with the state it came from."""
    event_type = transition_event_type(instance, transition_name)
    if event_type is None:
        return None
    from django_fsm_log.models import StateLog

    previous = (
        StateLog.objects.for_(instance)
        .filter(transition=transition_name)
        .order_by("-pk")
        .values_list("source_state", flat=True)
        .first()
    )
    extra = {"transition": transition_name, "previous_state": previous}
    if event_type == "allocation.changed":
        extra["change"] = instance.state
    return record_event(event_type, subject=instance, **extra)


# ---------------------------------------------------------------------------------------------
# Payloads: (fund id, fields) for each kind of subject.


def _application_fund(application_id) -> int:
    from applications.models import Application

    return (
        Application.objects.filter(pk=application_id)
        .values_list("programme__fund_id", flat=True)
        .get()
    )


def _agreement_ids(agreement_id) -> tuple[int, int]:
    """(application id, fund id) of an agreement, in one query."""
    from agreements.models import Agreement

    return (
        Agreement.objects.filter(pk=agreement_id)
        .values_list("application_id", "application__programme__fund_id")
        .get()
    )


def _describe_application(application) -> tuple[int, dict]:
    return _application_fund(application.pk), {
        "application_id": application.pk,
        "programme_id": application.programme_id,
        "network_id": application.network_id,
        "title": application.title,
        "state": application.state,
        "requested_amount": application.requested_amount,
        "awarded_amount": application.awarded_amount,
    }


def _describe_step(step) -> tuple[int, dict]:
    return _application_fund(step.application_id), {
        "application_id": step.application_id,
        "step_id": step.pk,
        "step_key": step.key,
        "step_order": step.order,
    }


def _describe_comment(comment) -> tuple[int, dict]:
    step = comment.step
    return _application_fund(step.application_id), {
        "comment_id": comment.pk,
        "application_id": step.application_id,
        "step_id": step.pk,
        "step_key": step.key,
        "question_key": comment.question_key,
        "author_role": comment.author_role,
    }


def _describe_agreement(agreement) -> tuple[int, dict]:
    application_id, fund_id = _agreement_ids(agreement.pk)
    return fund_id, {
        "agreement_id": agreement.pk,
        "application_id": application_id,
        "arrangement": agreement.arrangement,
        "state": agreement.state,
        "amount": agreement.amount,
        "contract_sha256": agreement.contract_sha256 or None,
    }


def _describe_tranche(tranche) -> tuple[int, dict]:
    application_id, fund_id = _agreement_ids(tranche.agreement_id)
    return fund_id, {
        "tranche_id": tranche.pk,
        "agreement_id": tranche.agreement_id,
        "application_id": application_id,
        "number": tranche.number,
        "amount": tranche.amount,
        "trigger": tranche.trigger,
        "state": tranche.state,
        "paid_on": tranche.paid_on,
    }


def _describe_report(report) -> tuple[int, dict]:
    application_id, fund_id = _agreement_ids(report.agreement_id)
    return fund_id, {
        "report_id": report.pk,
        "agreement_id": report.agreement_id,
        "application_id": application_id,
        "kind": report.kind,
        "state": report.state,
    }


def _describe_allocation(allocation) -> tuple[int, dict]:
    return _application_fund(allocation.application_id), {
        "allocation_id": allocation.pk,
        "application_id": allocation.application_id,
        "pool_id": allocation.service.pool_id,
        "service_id": allocation.service_id,
        "provider_id": allocation.provider_id,
        "state": allocation.state,
        "hours": allocation.hours,
        "delivered_hours": allocation.delivered_hours,
    }


DESCRIBERS = {
    "applications.application": _describe_application,
    "applications.step": _describe_step,
    "applications.comment": _describe_comment,
    "agreements.agreement": _describe_agreement,
    "agreements.tranche": _describe_tranche,
    "agreements.report": _describe_report,
    "pools.allocation": _describe_allocation,
}


def describe(subject) -> tuple[int, dict]:
    """The fund a domain object belongs to, and its standard payload fields."""
    return DESCRIBERS[subject._meta.label_lower](subject)
