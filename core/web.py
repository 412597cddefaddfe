"""How a web page answers an action: one vocabulary for every app's screens.

The registry and its service decide; a page only says what happened. A refusal about the person
is a 403 with the reason, a state that no longer allows it is a message on the page the person
came from (someone else acted first), bad input goes back on the form beside its field.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect

from core.exceptions import InvalidTransition


def error_message(error) -> str:
    """The user-facing text of a PermissionDenied or InvalidTransition."""
    return str(getattr(error, "message", None) or (error.args[0] if error.args else error))


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the visible field it names, else on the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, found in error.message_dict.items():
        visible = field in form.fields and not form.fields[field].widget.is_hidden
        form.add_error(field if visible else None, found)


def run_action(
    request, registry, name: str, obj, *, data=None, form=None, then, done=None, conflict=None
):
    """Run ``name`` for the signed-in person; the response to send, or ``None`` to show the form.

    ``then`` is where the page goes after the action, or after a conflict (``conflict`` when that
    is another page); ``done`` the success message when the action's own needs filling in. The
    input is ``data``, else the valid ``form``'s cleaned data. Bad input: without a ``form`` the
    ValidationError propagates; with one, its fields get the errors and ``None`` comes back.
    """
    if data is None and form is not None:
        data = form.cleaned_data
    try:
        registry.run(name, obj, actor=request.user, data=data)
    except ValidationError as error:
        if form is None:
            raise
        add_service_errors(form, error)
        return None
    except PermissionDenied as error:
        raise PermissionDenied(error_message(error)) from error
    except InvalidTransition as error:
        messages.error(request, error.message)
        return redirect(conflict or then)
    messages.success(request, str(done or registry.get(name).done))
    return redirect(then)
