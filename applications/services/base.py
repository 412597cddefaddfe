"""The lock–check–transition–save–notify sequence shared by every workflow action."""

from functools import partial

import django_fsm as fsm
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from applications.models import Application
from applications.notifications import notify_transition
from core.exceptions import InvalidTransition
from integrations.events import record_transition


def lock_application(application: Application) -> Application:
    """Re-read the application with its row locked until the transaction ends."""
    return Application.objects.select_for_update().get(pk=application.pk)


def require(refusal: str | None) -> None:
    if refusal is not None:
        raise PermissionDenied(refusal)


def require_state(application: Application, transition_name: str) -> None:
    method = getattr(application, transition_name)
    if not fsm.can_proceed(method, check_conditions=False):
        raise InvalidTransition(
            _("This is not possible now: the application is '%(state)s'. Reload to see the latest.")
            % {"state": application.get_state_display()}
        )


def run_transition(
    application: Application, transition_name: str, *, actor, note: str = "", **kwargs
) -> Application:
    """Run one transition on a locked application, save it and notify the other side on commit.

    The caller has already checked the actor's role (for a precise refusal) and the payload; this
    still asks django-fsm, so its permission and conditions stay the single source of truth.
    """
    method = getattr(application, transition_name)
    require_state(application, transition_name)
    step_id = application.current_step_id  # the step acted on, before accept moves on
    if not fsm.has_transition_perm(method, actor):
        raise InvalidTransition(_("This is not possible now. Reload to see the latest."))
    method(by=actor, description=note or None, **kwargs)
    # ConcurrentTransitionMixin refuses the save if the state changed since it was read;
    # the enclosing atomic block then rolls back the log entry and step changes with it.
    try:
        application.save()
    except fsm.ConcurrentTransition as error:
        raise InvalidTransition(
            _("Someone else changed this application at the same moment. Reload and try again.")
        ) from error
    record_transition(application, transition_name)
    transaction.on_commit(
        partial(
            notify_transition,
            application_id=application.pk,
            transition_name=transition_name,
            step_id=step_id,
            actor_id=getattr(actor, "pk", None),
        )
    )
    return application
