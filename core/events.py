"""Recording what happened: the event outbox, written in the caller's transaction.

Domain services call ``record_event`` (or ``record_transition`` from their shared transition
helper) inside their own transaction. The ``core.Event`` row is the outbox: it commits or rolls
back with the change it reports. Core knows neither the kinds of objects nor who listens:

- each app says how its objects are described, from its own ``events.py`` imported in its
  ``AppConfig.ready()``: ``register_subject`` gives the fund an object belongs to, its standard
  payload, and which of its transitions are events;
- whoever delivers events (integrations: webhooks) connects to ``event_recorded``, sent inside
  the transaction, and schedules its work with ``transaction.on_commit``.

Payloads are small and stable: ids, a few type-specific fields and ``occurred_at``. Never a
secret, a signing token or personal details; a back office fetches more through the API.
"""

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.dispatch import Signal
from django.utils import timezone
from django_fsm_log.models import StateLog

from core.models import Event

CENTS = Decimal("0.01")
#: In ``transition_events``: the event type of every transition not named on its own.
ANY_TRANSITION = "*"

#: Sent with ``event=`` (a ``core.Event``) as soon as the row is written, inside the caller's
#: transaction. A receiver that acts on it must wait for the commit (``transaction.on_commit``),
#: so that a rolled-back change sends nothing; an exception in a receiver rolls the change back.
event_recorded = Signal()

#: ``describe(obj) -> (fund id, payload fields)``
Describe = Callable[[Any], tuple[int, dict]]


@dataclass(frozen=True)
class Subject:
    """How the events about one kind of object are written."""

    describe: Describe
    #: Transition name -> event type; ``ANY_TRANSITION`` for all others; a transition not
    #: listed (and no ``ANY_TRANSITION``) records no event.
    transition_events: Mapping[str, str] = field(default_factory=dict)
    #: ``extra(obj) -> fields`` added to the payload of a transition's event.
    transition_fields: Callable[[Any], dict] | None = None


_subjects: dict[str, Subject] = {}


def register_subject(
    model_label: str,
    *,
    describe: Describe,
    transition_events: Mapping[str, str] | str | None = None,
    transition_fields: Callable[[Any], dict] | None = None,
) -> None:
    """Say how events about ``model_label`` ("app_label.modelname") are described.

    ``transition_events`` maps a transition's name to its event type, or is one event type for
    every transition. Registering a label again replaces it (``ready()`` may run twice in tests).
    """
    if isinstance(transition_events, str):
        transition_events = {ANY_TRANSITION: transition_events}
    _subjects[model_label.lower()] = Subject(
        describe=describe,
        transition_events=dict(transition_events or {}),
        transition_fields=transition_fields,
    )


def iso(moment) -> str:
    """A UTC timestamp as RFC 3339 with a ``Z``."""
    return moment.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def _plain(value):
    if isinstance(value, Decimal):  # amounts in euros and hours: always two decimals
        return str(value.quantize(CENTS))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def describe(subject) -> tuple[int, dict]:
    """The fund a domain object belongs to, and its standard payload fields."""
    label = subject._meta.label_lower
    try:
        entry = _subjects[label]
    except KeyError:
        raise LookupError(
            f"No event description for {label}: its app registers one with "
            "core.events.register_subject (in its events.py, from AppConfig.ready())."
        ) from None
    return entry.describe(subject)


def record_event(
    event_type: str, *, fund=None, payload: dict | None = None, subject=None, **fields
) -> Event | None:
    """Write one event in the caller's transaction; listeners act on it after the commit.

    Either give ``fund`` (a fund or its id) and ``payload``, or a domain object as ``subject``:
    its fund and its standard payload are then derived from it, and ``fields`` are added to the
    payload.
    """
    now = timezone.now()
    data = {}
    fund_id = getattr(fund, "pk", fund)
    if subject is not None:
        subject_fund_id, data = describe(subject)
        fund_id = fund_id or subject_fund_id
        if fund_id is None:
            # The subject is no fund's to hear of (yet): a network's own draft, say.
            return None
    data = {**data, **(payload or {}), **fields}
    data = {key: _plain(value) for key, value in data.items()}
    data["occurred_at"] = iso(now)
    event = Event.objects.create(fund_id=fund_id, type=event_type, payload=data, created_at=now)
    event_recorded.send(sender=Event, event=event)
    return event


def transition_event_type(instance, transition_name: str) -> str | None:
    """Which event, if any, a transition of this kind of object stands for."""
    entry = _subjects.get(instance._meta.label_lower)
    if entry is None:
        return None
    events = entry.transition_events
    return events.get(transition_name, events.get(ANY_TRANSITION))


def record_transition(instance, transition_name: str) -> Event | None:
    """The event for a transition that was just saved, with the state it came from."""
    event_type = transition_event_type(instance, transition_name)
    if event_type is None:
        return None
    previous = (
        StateLog.objects.for_(instance)
        .filter(transition=transition_name)
        .order_by("-pk")
        .values_list("source_state", flat=True)
        .first()
    )
    extra = {"transition": transition_name, "previous_state": previous}
    transition_fields = _subjects[instance._meta.label_lower].transition_fields
    if transition_fields is not None:
        extra.update(transition_fields(instance))
    return record_event(event_type, subject=instance, **extra)
