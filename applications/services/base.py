"""The lock–check–transition–save–notify sequence shared by every workflow action.

The generic part (check the state, transition, save, refuse a concurrent change) is
``core.transitions.run``; what is the application's own is here: its row lock, its event and
the message to the other side (``applications.notifications``), written in the same transaction.
"""

import django_fsm as fsm
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from applications import notifications
from applications.models import Application
from core import transitions
from core.events import record_transition
from core.exceptions import InvalidTransition

#: The longest note the history keeps with a transition (the API documents the same).
MAX_NOTE_LENGTH = 2000


def check_length(errors: dict, field: str, value, limit: int) -> None:
    """Add a field error to ``errors`` when the text ``value`` is longer than ``limit``."""
    if isinstance(value, str) and len(value) > limit:
        errors.setdefault(field, []).append(_("Keep it under %(n)s characters.") % {"n": limit})


def lock_application(application: Application) -> Application:
    """Re-read the application with its row locked until the transaction ends."""
    return Application.objects.select_for_update().get(pk=application.pk)


def require(refusal: str | None) -> None:
    if refusal is not None:
        raise PermissionDenied(refusal)


def state_refusal(application: Application, transition_name: str) -> str | None:
    """Why the application's state has no such transition now, or ``None`` when it has."""
    method = getattr(application, transition_name)
    if fsm.can_proceed(method, check_conditions=False):
        return None
    return _(
        "This is not possible now: the application is '%(state)s'. Reload to see the latest."
    ) % {"state": application.get_state_display()}


def require_state(application: Application, transition_name: str) -> None:
    refusal = state_refusal(application, transition_name)
    if refusal is not None:
        raise InvalidTransition(refusal)


def run_transition(
    application: Application, transition_name: str, *, actor, note: str = "", **kwargs
) -> Application:
    """Run one transition on a locked application, save it and write the other side's message.

    The caller has already checked the actor's role (for a precise refusal) and the payload.
    """
    errors: dict[str, list] = {}
    check_length(errors, "note", note, MAX_NOTE_LENGTH)
    if errors:
        raise ValidationError(errors)
    step = application.current_step  # the step acted on, before accept moves on
    transitions.run(application, transition_name, actor=actor, note=note, **kwargs)
    record_transition(application, transition_name)
    # In this transaction, after the change: a rolled-back change writes no message. The mail
    # worker sends it after the commit, and retries it when the mail server fails.
    notifications.transition_done(application, transition_name, step=step, actor=actor, note=note)
    return application
