"""Every transition a person can take on an application, once: who, when, what input, which service.

The application page's buttons, the admin, the API's transitions list and every runner ask
``APPLICATION_ACTIONS`` (``core.actions.Registry``); none of them keeps its own table of roles or
dispatches to the services itself. ``who`` is the same rule as the model's django-fsm
``permission=``, and ``when`` asks django-fsm about the state and the conditions, so
``application.get_available_user_state_transitions(user)`` and ``available()`` agree for people.

``contract`` and ``close`` are not here: the agreements app runs them, nobody clicks them.
"""

from decimal import Decimal

import django_fsm as fsm
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.actions import Action, Registry

from . import permissions, services
from .models import Application, Step
from .services.base import state_refusal


def _when(name: str, conditions_refusal=None):
    """Refuse what the state does not allow now, then what the transition's conditions refuse."""

    def refusal(application: Application) -> str | None:
        found = state_refusal(application, name)
        if found is None and not fsm.can_proceed(getattr(application, name)):
            found = (
                conditions_refusal()
                if conditions_refusal
                else _("This is not possible now. Reload to see the latest.")
            )
        return found

    return refusal


def _step_misses_answers() -> str:
    return _("This step still misses answers. Answer every required question, then submit it.")


# Adapters: the payload every caller sends, as the service's keyword arguments.


def _submit_step(application, *, actor, note: str = "", step: Step | None = None):
    return services.application_submit_step(
        application=application, actor=actor, step=step, note=note
    )


def _request_changes(
    application,
    *,
    actor,
    note: str = "",
    step: Step | None = None,
    comment: str = "",
    question_key: str = "",
):
    return services.application_request_changes(
        application=application,
        actor=actor,
        step=step,
        comment=comment or "",
        question_key=question_key or "",
        note=note,
    )


def _accept_step(application, *, actor, note: str = "", step: Step | None = None):
    return services.application_accept_step(
        application=application, actor=actor, step=step, note=note
    )


def _award(application, *, actor, amount: Decimal, note: str = ""):
    return services.application_award(
        application=application, actor=actor, amount=amount, note=note
    )


def _decline(
    application, *, actor, reason: str, advice: str, referrals: list[dict], note: str = ""
):
    return services.application_decline(
        application=application,
        actor=actor,
        reason=reason,
        advice=advice,
        referrals=referrals,
        note=note,
    )


def _withdraw(application, *, actor, note: str = ""):
    return services.application_withdraw(application=application, actor=actor, note=note)


#: Every transition of Application a person takes, in the order buttons show them.
APPLICATION_ACTIONS = Registry(
    [
        Action(
            name="submit_step",
            label=gettext_lazy("Submit this step"),
            perform=_submit_step,
            who=permissions.coordinator_refusal,
            when=_when("submit_step", _step_misses_answers),
            fields=("note", "step"),
            done=gettext_lazy("The step is submitted."),
        ),
        Action(
            name="request_changes",
            label=gettext_lazy("Request changes"),
            perform=_request_changes,
            who=permissions.officer_refusal,
            when=_when("request_changes"),
            fields=("note", "step", "comment", "question_key"),
            done=gettext_lazy("The network is asked to make changes."),
        ),
        Action(
            name="accept_step",
            label=gettext_lazy("Accept step"),
            perform=_accept_step,
            who=permissions.officer_refusal,
            when=_when("accept_step"),
            fields=("note", "step"),
            done=gettext_lazy("The step is accepted."),
        ),
        Action(
            name="award",
            label=gettext_lazy("Award"),
            perform=_award,
            who=permissions.manager_refusal,
            when=_when("award"),
            fields=("note", "amount"),
            required=("amount",),
            done=gettext_lazy("The application is awarded."),
        ),
        Action(
            name="decline",
            label=gettext_lazy("Decline with advice"),
            perform=_decline,
            who=permissions.officer_refusal,
            when=_when("decline"),
            fields=("note", "reason", "advice", "referrals"),
            required=("reason", "advice", "referrals"),
            done=gettext_lazy(
                "The application is declined. The network gets your reason, advice and referral."
            ),
        ),
        Action(
            name="withdraw",
            label=gettext_lazy("Withdraw application"),
            perform=_withdraw,
            who=permissions.coordinator_refusal,
            when=_when("withdraw"),
            fields=("note",),
            done=gettext_lazy("The application is withdrawn."),
        ),
    ]
)

#: The actions whose input is more than a note (and the step): a screen asks for it on a form.
FORM_FIELDS_BESIDES = ("note", "step")


def needs_form(name: str) -> bool:
    return any(field not in FORM_FIELDS_BESIDES for field in APPLICATION_ACTIONS.get(name).fields)


def action_data(name: str, values) -> dict:
    """Only the input ``name`` takes, from a form's cleaned data or a validated payload."""
    fields = APPLICATION_ACTIONS.get(name).fields
    return {field: values[field] for field in fields if field in values}
