"""Lock, check state, transition, save: the same sequence as the application workflow."""

import django_fsm as fsm
from django.utils.translation import gettext as _

from agreements.models import Agreement
from core.exceptions import InvalidTransition
from integrations.events import record_transition


def lock_agreement(agreement: Agreement) -> Agreement:
    return (
        Agreement.objects.select_for_update()
        .select_related("application__programme__fund")
        .get(pk=agreement.pk)
    )


def run(instance, transition_name: str, *, actor, note: str = "", **kwargs):
    """Run one transition on a locked row and save it; the log entry comes from django-fsm-log."""
    method = getattr(instance, transition_name)
    if not fsm.can_proceed(method):
        raise InvalidTransition(
            _("This is not possible now: it is '%(state)s'. Reload to see the latest.")
            % {"state": instance.get_state_display()}
        )
    method(by=actor, description=note or None, **kwargs)
    try:
        instance.save()
    except fsm.ConcurrentTransition as error:
        raise InvalidTransition(
            _("Someone else changed this at the same moment. Reload and try again.")
        ) from error
    record_transition(instance, transition_name)
    return instance
