"""Lock, check state, transition, save, record the event: the same sequence as everywhere."""

from agreements.models import Agreement
from core import transitions
from core.events import record_transition


def lock_agreement(agreement: Agreement) -> Agreement:
    return (
        Agreement.objects.select_for_update()
        .select_related("application__programme__fund")
        .get(pk=agreement.pk)
    )


def run(instance, transition_name: str, *, actor, note: str = "", **kwargs):
    """Run one transition on a locked row (``core.transitions.run``) and record its event."""
    transitions.run(instance, transition_name, actor=actor, note=note, **kwargs)
    record_transition(instance, transition_name)
    return instance
