"""Run one django-fsm transition on a locked row: check, transition, save, and nothing else.

Every state machine's services call :func:`run` after they have locked the row and checked the
actor's role; it turns "wrong state" and "someone else saved first" into ``InvalidTransition``.
The log entry comes from django-fsm-log (``by=`` and ``description=``). Events are the caller's:
they record them through ``core.events`` in the same transaction.
"""

import django_fsm as fsm
from django.utils.translation import gettext as _

from core.exceptions import InvalidTransition


def require_state(instance, transition_name: str) -> None:
    """Refuse when the object's current state has no such transition (conditions not asked)."""
    method = getattr(instance, transition_name)
    if not fsm.can_proceed(method, check_conditions=False):
        raise InvalidTransition(
            _("This is not possible now: it is '%(state)s'. Reload to see the latest.")
            % {"state": instance.get_state_display()}
        )


def run(instance, transition_name: str, *, actor, note: str = "", **kwargs):
    """Run ``transition_name`` on a locked ``instance`` and save it."""
    method = getattr(instance, transition_name)
    require_state(instance, transition_name)
    if not fsm.can_proceed(method):
        raise InvalidTransition(_("This is not possible now. Reload to see the latest."))
    method(by=actor, description=note or None, **kwargs)
    # ConcurrentTransitionMixin refuses the save if the state changed since the row was read;
    # the caller's atomic block then rolls back the log entry with it.
    try:
        instance.save()
    except fsm.ConcurrentTransition as error:
        raise InvalidTransition(
            _("Someone else changed this at the same moment. Reload and try again.")
        ) from error
    return instance
