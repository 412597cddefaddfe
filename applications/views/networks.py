"""A network's own pages: start one, see its members, invite people and change roles."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from applications import permissions, services
from applications.models import Network, NetworkMember
from applications.panels import collect
from applications.selectors import visible_networks
from core.web import add_service_errors, error_message


class NetworkForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name of your network"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("What does your network do?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    area = forms.CharField(
        label=gettext_lazy("Area or municipality"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("The neighbourhood, village or municipality where you are active."),
    )
    legal_status = forms.ChoiceField(
        label=gettext_lazy("Legal status"),
        choices=Network.LegalStatus.choices,
        initial=Network.LegalStatus.NONE,
        help_text=gettext_lazy("Many networks have no foundation or association. That is fine."),
    )
    kvk_number = forms.CharField(
        label=gettext_lazy("Chamber of Commerce (KvK) number"),
        required=False,
        help_text=gettext_lazy("Only if your network is registered: 8 digits."),
    )


class InviteForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail address of the new member"))
    role = forms.ChoiceField(
        label=gettext_lazy("Role"),
        choices=NetworkMember.Role.choices,
        initial=NetworkMember.Role.MEMBER,
        help_text=gettext_lazy("Coordinators can invite people and apply for money."),
    )


def get_network(request, pk) -> Network:
    """A network the user may see, as in the API; 404 for any other, also for a guessed id."""
    return get_object_or_404(visible_networks(request.user), pk=pk)


@login_required
def network_create(request):
    form = NetworkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            network = services.network_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your network is ready. You are its coordinator."))
            # Back to where the volunteer was going, e.g. the application they wanted to start.
            next_url = request.GET.get("next", "")
            if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
                return redirect(next_url)
            return redirect("network_detail", pk=network.pk)
    return render(request, "networks/network_form.html", {"form": form})


def _detail(request, network, invite_form=None, status=200):
    is_coordinator = (
        permissions.network_role(network, request.user) == NetworkMember.Role.COORDINATOR
    )
    members = network.members.select_related("user").order_by("role", "user__username")
    return render(
        request,
        "networks/network_detail.html",
        {
            "network": network,
            "members": members,
            "is_coordinator": is_coordinator,
            "form": invite_form or InviteForm(),
            "roles": NetworkMember.Role,
            "panels": collect("network_detail", request, network),
        },
        status=status,
    )


@login_required
def network_detail(request, pk):
    return _detail(request, get_network(request, pk))


@login_required
@require_POST
def network_invite(request, pk):
    network = get_network(request, pk)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            member = services.network_invite_member(
                network=network,
                actor=request.user,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except PermissionDenied as error:
            messages.error(request, error_message(error))
            return redirect("network_detail", pk=network.pk)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(email)s is now a member. We sent them an e-mail with a sign-in link.")
                % {"email": member.user.email},
            )
            return redirect("network_detail", pk=network.pk)
    return _detail(request, network, invite_form=form, status=400)


@login_required
@require_POST
def network_member_role(request, pk, member_pk):
    network = get_network(request, pk)
    member = get_object_or_404(network.members.select_related("user"), pk=member_pk)
    try:
        services.network_set_role(
            network=network, actor=request.user, member=member, role=request.POST.get("role", "")
        )
    except PermissionDenied as error:
        messages.error(request, error_message(error))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The role has been changed."))
    return redirect("network_detail", pk=network.pk)
