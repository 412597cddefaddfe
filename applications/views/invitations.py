"""The page an invitation's e-mail links to: sign in, then accept or decline (POST).

Opening the link changes nothing, so a mail scanner or link preview cannot answer for anyone.
Signed out, the page asks to sign in (by e-mail link or password) and comes back here; signed in
with another address, it says so and offers to sign out.
"""

from http import HTTPStatus
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from applications import permissions, services
from applications.invitation_links import invitation_for_token, invitation_token
from applications.models import NetworkInvitation
from core.web import error_message

TEMPLATE = "networks/invitation.html"


def _sign_in_url(request) -> str:
    return f"{reverse('login')}?{urlencode({'next': request.path})}"


def _refused(request, reason: str, status: int):
    return render(request, TEMPLATE, {"reason": reason}, status=status)


@login_required
def invitation_open(request, pk):
    """From the person's list of messages to the invitation's page: only for the invited
    address, signed in (anyone else: 404), and only while the invitation is open."""
    invitation = get_object_or_404(
        NetworkInvitation, pk=pk, email__iexact=request.user.email or "-"
    )
    if not invitation.is_open:
        messages.info(request, _("This invitation has been answered, withdrawn or has expired."))
        return redirect("dashboard")
    return redirect("invitation_respond", token=invitation_token(invitation))


def invitation_respond(request, token):
    try:
        invitation = invitation_for_token(token)
    except ValidationError as error:
        status = HTTPStatus.BAD_REQUEST if request.method == "POST" else HTTPStatus.OK
        return _refused(request, " ".join(error.messages), status)
    if not request.user.is_authenticated:
        if request.method == "POST":
            return redirect(_sign_in_url(request))
        context = {"invitation": invitation, "sign_in_url": _sign_in_url(request)}
        return render(request, TEMPLATE, context)
    if request.method == "POST":
        answer = request.POST.get("answer")
        try:
            if answer == "accept":
                services.network_invitation_accept(token=token, actor=request.user)
            elif answer == "decline":
                services.network_invitation_decline(token=token, actor=request.user)
            else:
                raise ValidationError(_("Choose whether you accept or decline the invitation."))
        except PermissionDenied as error:
            return _refused(request, error_message(error), HTTPStatus.FORBIDDEN)
        except ValidationError as error:
            return _refused(request, " ".join(error.messages), HTTPStatus.BAD_REQUEST)
        if answer == "accept":
            messages.success(
                request,
                _("Welcome to %(network)s. You are now a member.")
                % {"network": invitation.network},
            )
            return redirect("network_detail", pk=invitation.network_id)
        messages.success(
            request,
            _("You declined the invitation to %(network)s.") % {"network": invitation.network},
        )
        return redirect("dashboard")
    inviter = invitation.invited_by
    context = {
        "invitation": invitation,
        "inviter": (inviter.get_full_name() or inviter.get_username()) if inviter else "",
        "refusal": permissions.invitee_refusal(invitation, request.user),
        "sign_in_url": _sign_in_url(request),
    }
    return render(request, TEMPLATE, context)
