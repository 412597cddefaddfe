"""Helpers the application views share: loading what the user may see, and error mapping."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from applications.models import Application, Step
from applications.selectors import application_list


def get_application(request, pk) -> Application:
    """An application the user may see; 404 for anything else, also for a guessed id."""
    return get_object_or_404(application_list(user=request.user), pk=pk)


def get_step(application: Application, key: str) -> Step:
    step = application.steps.filter(key=key).first()
    if step is None:
        raise Http404
    step.application = application  # reuse the loaded application, its network and programme
    return step


def error_message(error) -> str:
    """The user-facing text of a PermissionDenied or InvalidTransition."""
    return str(getattr(error, "message", None) or (error.args[0] if error.args else error))
