"""Helpers on the application's page (invite, send again, remove, stop helping) and the page an
invitation to help links to (sign in, then accept or decline).

As a network invitation's page (``views.invitations``): opening the link changes nothing, so a
mail scanner or link preview answers for nobody; signed out, it asks to sign in and comes back.
"""

from http import HTTPStatus
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications import helper_links, permissions, services
from applications.models import ApplicationHelper
from applications.pages import get_application
from applications.selectors import application_helpers, helper_of
from core.exceptions import InvalidTransition
from core.web import error_message

TEMPLATE = "applications/helpers_invitation.html"


def page_context(request, application) -> dict:
    """What the application page shows about helpers to this person: to coordinators who helps
    and the open invitations (with the form to invite), to a helper that they help."""
    may_manage = permissions.helper_manage_refusal(application, request.user) is None
    is_member = permissions.member_refusal(application, request.user) is None
    helpers = list(application_helpers(application)) if may_manage else []
    me = None if is_member else helper_of(application, request.user)
    return {
        "may_manage": may_manage,
        "can_invite": may_manage and application.is_open,
        "helpers": [
            {"helper": helper, "is_pending": helper_links.is_pending(helper)} for helper in helpers
        ],
        "me": me,
    }


def _here(application) -> str:
    return reverse("application_detail", args=[application.pk]) + "#helpers-heading"


def _act(request, action, application, success: str):
    """Run a coordinator's or helper's action; a refusal about the person is a 403."""
    try:
        action()
    except PermissionDenied as error:
        raise PermissionDenied(error_message(error)) from error
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except InvalidTransition as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
        return True
    return False


@login_required
@require_POST
def helper_invite(request, pk):
    application = get_application(request, pk)
    email = request.POST.get("email", "")
    _act(
        request,
        lambda: services.helper_invite(application=application, actor=request.user, email=email),
        application,
        _("We sent an invitation to help to %(email)s.") % {"email": email.strip()},
    )
    return redirect(_here(application))


def _helper(application, helper_pk) -> ApplicationHelper:
    return get_object_or_404(ApplicationHelper, pk=helper_pk, application=application)


@login_required
@require_POST
def helper_resend(request, pk, helper_pk):
    application = get_application(request, pk)
    helper = _helper(application, helper_pk)
    _act(
        request,
        lambda: services.helper_resend(helper=helper, actor=request.user),
        application,
        _("The invitation to %(email)s is sent again.") % {"email": helper.email},
    )
    return redirect(_here(application))


@login_required
@require_POST
def helper_remove(request, pk, helper_pk):
    application = get_application(request, pk)
    helper = _helper(application, helper_pk)
    stopping = helper.user_id == request.user.pk
    done = (
        _("You no longer help with this application.")
        if stopping
        else _("This person no longer helps with this application.")
    )
    removed = _act(
        request,
        lambda: services.helper_remove(helper=helper, actor=request.user),
        application,
        done,
    )
    # Who stopped helping can no longer see the application: back to their own list.
    if removed and stopping and permissions.member_refusal(application, request.user):
        return redirect("dashboard")
    return redirect(_here(application))


def _sign_in_url(request) -> str:
    return f"{reverse('login')}?{urlencode({'next': request.path})}"


def _refused(request, reason: str, status: int):
    return render(request, TEMPLATE, {"reason": reason}, status=status)


@login_required
def helper_open(request, pk):
    """From the person's list of messages to the invitation's page: only for the invited
    address, signed in (anyone else: 404), and only while the invitation is pending."""
    helper = get_object_or_404(ApplicationHelper, pk=pk, email__iexact=request.user.email or "-")
    if not helper_links.is_pending(helper) or not helper.application.is_open:
        messages.info(request, _("This invitation has been answered, withdrawn or has expired."))
        return redirect("dashboard")
    return redirect("helper_respond", token=helper_links.helper_token(helper))


def helper_respond(request, token):
    try:
        helper = helper_links.helper_for_token(token)
    except ValidationError as error:
        status = HTTPStatus.BAD_REQUEST if request.method == "POST" else HTTPStatus.OK
        return _refused(request, " ".join(error.messages), status)
    if not request.user.is_authenticated:
        if request.method == "POST":
            return redirect(_sign_in_url(request))
        return render(request, TEMPLATE, {"helper": helper, "sign_in_url": _sign_in_url(request)})
    if request.method == "POST":
        return _answer(request, token, helper)
    inviter = helper.invited_by
    context = {
        "helper": helper,
        "inviter": (inviter.get_full_name() or inviter.get_username()) if inviter else "",
        "refusal": permissions.helper_accept_refusal(helper, request.user),
        "address_refusal": permissions.helper_invitee_refusal(helper, request.user),
        "sign_in_url": _sign_in_url(request),
    }
    return render(request, TEMPLATE, context)


def _answer(request, token, helper):
    answer = request.POST.get("answer")
    try:
        if answer == "accept":
            services.helper_accept(token=token, actor=request.user)
        elif answer == "decline":
            services.helper_decline(token=token, actor=request.user)
        else:
            raise ValidationError(_("Choose whether you accept or decline the invitation."))
    except PermissionDenied as error:
        return _refused(request, error_message(error), HTTPStatus.FORBIDDEN)
    except ValidationError as error:
        return _refused(request, " ".join(error.messages), HTTPStatus.BAD_REQUEST)
    application = helper.application
    if answer == "accept":
        messages.success(
            request,
            _("Thank you. You now help %(network)s write this application.")
            % {"network": application.network.name},
        )
        return redirect("application_detail", pk=application.pk)
    messages.success(request, _("You declined the invitation to help."))
    return redirect("dashboard")
