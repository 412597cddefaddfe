"""What the workflow offers a given user now, for buttons, admin and the API."""

from django.utils.translation import gettext_lazy as _

#: Every transition of Application, in the order buttons show them.
TRANSITIONS = {
    "submit_step": _("Submit this step"),
    "request_changes": _("Request changes"),
    "accept_step": _("Accept step"),
    "award": _("Award"),
    "decline": _("Decline with advice"),
    "withdraw": _("Withdraw application"),
}


def available_transitions(application, user) -> list[str]:
    """Names of the transitions ``user`` may run on ``application`` in its current state.

    Asks django-fsm (state, conditions and permission), so a step that still misses answers is
    not offered for submission.
    """
    import django_fsm as fsm

    return [
        name for name in TRANSITIONS if fsm.has_transition_perm(getattr(application, name), user)
    ]


#: How the history names every transition, including those the agreements app runs.
HISTORY_LABELS = {
    **TRANSITIONS,
    "contract": _("Agreement signed by everyone"),
    "close": _("Completed: final report accepted and everything paid"),
}
