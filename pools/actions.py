"""Everything a person can do to an allocation, once: who may, when, with what, and how.

The allocation page, the admin and the API ask ``ALLOCATION_ACTIONS`` what to offer
(``available``) and run an action through it (``run``); each action's ``perform`` is one call of
``pools.services``, which checks the same rules again under its row lock.

Confirming and completing are listed too, so that the registry covers every transition of the
model, but nobody takes them: the award confirms the hours and the last delivered hour completes
them. The model's django-fsm ``permission=`` says the same, so that
``get_available_user_state_transitions(user)`` agrees with ``available`` for people.
"""

import django_fsm as fsm
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from core.actions import Action, Registry

from . import permissions, services
from .models import Allocation

State = Allocation.State
#: The provider may change while the support has not been given yet.
OPEN_STATES = (State.RESERVED, State.CONFIRMED)


def _not_now(allocation: Allocation) -> str:
    return _(
        "This is not possible now: the allocation is '%(state)s'. Reload to see the latest."
    ) % {"state": allocation.get_state_display()}


def _in_states(*states):
    """For actions that are not transitions: the states in which they make sense."""

    def when(allocation: Allocation) -> str | None:
        return None if allocation.state in states else _not_now(allocation)

    return when


def _transition(name: str):
    """For a transition: the model's own source states say when (its conditions are the
    service's, which gives the reason with the input)."""

    def when(allocation: Allocation) -> str | None:
        possible = fsm.can_proceed(getattr(allocation, name), check_conditions=False)
        return None if possible else _not_now(allocation)

    return when


def _officer(allocation: Allocation, user) -> str | None:
    return permissions.allocation_officer_refusal(allocation, user)


def _confirmed_by_award(allocation: Allocation, user) -> str:
    return _("Reserved hours are confirmed by the application's award, not by hand.")


def _completed_by_deliveries(allocation: Allocation, user) -> str:
    return _("An allocation is delivered once all its hours are logged, not by hand.")


def _by_itself(who):
    def perform(allocation: Allocation, *, actor, **other):
        raise PermissionDenied(who(allocation, actor))

    return perform


# Each ``perform`` takes the input its action names in ``fields`` and ignores any other.


def _log_delivery(
    allocation: Allocation, *, actor, delivered_on=None, hours=None, note="", **other
):
    return services.delivery_log(
        allocation=allocation,
        actor=actor,
        delivered_on=delivered_on,
        hours=hours,
        note=note or "",
    )


_MISSING = object()


def _assign_provider(allocation: Allocation, *, actor, provider=_MISSING, **other):
    if provider is _MISSING:
        raise ValidationError({"provider": [_("Name the provider, or send null to take it off.")]})
    return services.allocation_assign_provider(
        allocation=allocation, actor=actor, provider=provider
    )


def _close(allocation: Allocation, *, actor, note: str = "", **other):
    return services.allocation_close(allocation=allocation, actor=actor, note=note or "")


def _release(allocation: Allocation, *, actor, note: str = "", **other):
    return services.allocation_release(allocation=allocation, actor=actor, note=note or "")


ALLOCATION_ACTIONS = Registry(
    [
        Action(
            name="assign_provider",
            label=gettext_lazy("Assign a provider"),
            perform=_assign_provider,
            who=_officer,
            when=_in_states(*OPEN_STATES),
            fields=("provider",),
            required=("provider",),
            done=gettext_lazy("The provider is saved."),
        ),
        Action(
            name="log_delivery",
            label=gettext_lazy("Log delivered hours"),
            perform=_log_delivery,
            who=permissions.delivery_refusal,
            when=_in_states(State.CONFIRMED),
            fields=("delivered_on", "hours", "note"),
            required=("delivered_on", "hours", "note"),
            done=gettext_lazy("The delivered hours are logged."),
        ),
        Action(
            name="close",
            label=pgettext_lazy("allocation action", "Close"),
            perform=_close,
            who=_officer,
            when=_transition("close"),
            fields=("note",),
            done=gettext_lazy(
                "The allocation is closed: the hours not delivered are back in the pool."
            ),
        ),
        Action(
            name="release",
            label=gettext_lazy("Release the hours"),
            perform=_release,
            who=_officer,
            when=_transition("release"),
            fields=("note",),
            done=gettext_lazy(
                "The allocation is released: the hours not delivered are back in the pool."
            ),
        ),
        Action(
            name="confirm",
            label=State.CONFIRMED.label,
            perform=_by_itself(_confirmed_by_award),
            who=_confirmed_by_award,
            when=_transition("confirm"),
        ),
        Action(
            name="complete",
            label=State.DELIVERED.label,
            perform=_by_itself(_completed_by_deliveries),
            who=_completed_by_deliveries,
            when=_transition("complete"),
        ),
    ]
)

#: The actions that are transitions of ``Allocation.state`` (the others change other fields).
TRANSITIONS = ("close", "release", "confirm", "complete")
