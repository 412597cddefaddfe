"""A network's own pages: start one, see its members, invite people, change roles, remove
someone, leave. Every change goes through ``applications.services``, as in the API."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from applications import permissions, services
from applications.forms import InviteForm
from applications.models import Network, NetworkMember
from applications.panels import collect
from applications.selectors import open_invitations, visible_networks
from applications.services.networks import NETWORK_FIELDS
from core.models import Province
from core.web import add_service_errors, error_message


class NetworkForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name of your network"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("What does your network do?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    province = forms.ModelChoiceField(
        label=gettext_lazy("Province"),
        queryset=Province.objects.all(),
        required=False,
        help_text=gettext_lazy("Some programmes are only for groups in one province."),
    )
    area = forms.CharField(
        label=gettext_lazy("Place (town, village or neighbourhood)"),
        required=False,
        max_length=200,
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language you work in"),
        choices=Network._meta.get_field("language").choices,
        initial=settings.LANGUAGE_CODE,
        required=False,  # not chosen: the site's own language, as the model's default
        help_text=gettext_lazy("The fund sees this, so it knows in which language to help you."),
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

    def clean_language(self) -> str:
        return self.cleaned_data["language"] or settings.LANGUAGE_CODE


def get_network(request, pk) -> Network:
    """A network the user may see, as in the API; 404 for any other, also for a guessed id."""
    return get_object_or_404(visible_networks(request.user), pk=pk)


def _run(request, service, success: str, **kwargs) -> bool:
    """Run a membership service; its refusal becomes a message on the page. True when done."""
    try:
        service(actor=request.user, **kwargs)
    except PermissionDenied as error:
        messages.error(request, error_message(error))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
        return True
    return False


@login_required
def network_create(request):
    # The language the page is in is the likeliest one the network works in.
    form = NetworkForm(request.POST or None, initial={"language": translation.get_language()})
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


@login_required
def network_edit(request, pk):
    """A coordinator changes the network's details; anyone else who sees the network: 403."""
    network = get_network(request, pk)
    if refusal := permissions.coordinator_rule(permissions.network_role(network, request.user)):
        raise PermissionDenied(refusal)
    initial = {field: getattr(network, field) for field in NETWORK_FIELDS}
    form = NetworkForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.network_update(network=network, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The network's details are saved."))
            return redirect("network_detail", pk=network.pk)
    return render(request, "networks/network_form.html", {"form": form, "network": network})


def _detail(request, network, invite_form=None, status=200):
    role = permissions.network_role(network, request.user)
    is_coordinator = role == NetworkMember.Role.COORDINATOR
    members = network.members.select_related("user").order_by("role", "user__username")
    return render(
        request,
        "networks/network_detail.html",
        {
            "network": network,
            "members": members,
            "is_member": role is not None,
            "is_coordinator": is_coordinator,
            "invitations": open_invitations(network) if is_coordinator else [],
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
            invitation = services.network_invite_member(
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
            # Only the address as typed: never whether it has an account, nor whose it is.
            messages.success(
                request,
                _(
                    "We sent an invitation to %(email)s. They become a member when they accept "
                    "it; the link works for 7 days."
                )
                % {"email": invitation.email},
            )
            return redirect("network_detail", pk=network.pk)
    return _detail(request, network, invite_form=form, status=400)


@login_required
@require_POST
def network_invitation_resend(request, pk, invitation_pk):
    network = get_network(request, pk)
    invitation = get_object_or_404(network.invitations, pk=invitation_pk)
    _run(
        request,
        services.network_invitation_resend,
        _("We sent the invitation to %(email)s again. The earlier link no longer works.")
        % {"email": invitation.email},
        invitation=invitation,
    )
    return redirect("network_detail", pk=network.pk)


@login_required
@require_POST
def network_invitation_revoke(request, pk, invitation_pk):
    network = get_network(request, pk)
    invitation = get_object_or_404(network.invitations, pk=invitation_pk)
    _run(
        request,
        services.network_invitation_revoke,
        _("The invitation to %(email)s was withdrawn. Its link no longer works.")
        % {"email": invitation.email},
        invitation=invitation,
    )
    return redirect("network_detail", pk=network.pk)


@login_required
@require_POST
def network_member_role(request, pk, member_pk):
    network = get_network(request, pk)
    member = get_object_or_404(network.members.select_related("user"), pk=member_pk)
    _run(
        request,
        services.network_set_role,
        _("The role has been changed."),
        network=network,
        member=member,
        role=request.POST.get("role", ""),
    )
    return redirect("network_detail", pk=network.pk)


def _confirm(request, network, *, title: str, text: str, button: str):
    context = {"network": network, "title": title, "text": text, "button": button}
    return render(request, "networks/membership_confirm.html", context)


@login_required
def network_member_remove(request, pk, member_pk):
    """GET asks to confirm; POST removes the member (coordinators; never the last one)."""
    network = get_network(request, pk)
    member = get_object_or_404(network.members.select_related("user"), pk=member_pk)
    name = member.user.get_full_name() or member.user.get_username()
    if request.method != "POST":
        return _confirm(
            request,
            network,
            title=_("Remove %(name)s from %(network)s?") % {"name": name, "network": network},
            text=_(
                "They no longer see the network and its applications. You can invite them "
                "again later."
            ),
            button=_("Remove from the network"),
        )
    _run(
        request,
        services.network_member_remove,
        _("%(name)s is no longer a member of the network.") % {"name": name},
        network=network,
        member=member,
    )
    return redirect("network_detail", pk=network.pk)


@login_required
def network_leave(request, pk):
    """GET asks to confirm; POST leaves the network (never as its last coordinator)."""
    network = get_network(request, pk)
    if request.method != "POST":
        return _confirm(
            request,
            network,
            title=_("Leave %(network)s?") % {"network": network},
            text=_(
                "You no longer see the network and its applications. A coordinator can invite "
                "you again later."
            ),
            button=_("Leave the network"),
        )
    done = _run(
        request,
        services.network_member_leave,
        _("You have left %(network)s.") % {"network": network},
        network=network,
    )
    return redirect(reverse("dashboard") if done else reverse("network_detail", args=[network.pk]))
