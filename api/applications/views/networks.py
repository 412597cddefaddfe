"""Networks, their members and their invitations.

Members see their own networks; the fund's officers (and the fund's keys) see the networks that
applied to the fund. Anyone signed in may start a network and becomes its coordinator; only
coordinators invite people, change roles, remove members and see invitations
(``applications.services``, as the web screens). People join only by accepting an invitation,
signed in with the invited address; members may leave, except the last coordinator. A fund key
reads networks but never starts, joins or leaves one.
"""

from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.reverse import reverse

from api.applications.access import networks_for
from api.applications.serializers.networks import (
    InvitationAnswerSerializer,
    NetworkCreateSerializer,
    NetworkInvitationSerializer,
    NetworkMemberSerializer,
    NetworkSerializer,
)
from api.base import ApiViewSet, get_object_or_404
from api.scoping import key_fund_id
from applications import services
from applications.models import Network, NetworkInvitation, NetworkMember
from applications.selectors import open_invitations


def _refuse_fund_keys(request, message: str) -> None:
    if key_fund_id(request):
        raise PermissionDenied(message)


def _my_roles(request) -> dict[int, str]:
    if not request.user.is_authenticated:
        return {}
    memberships = NetworkMember.objects.filter(user=request.user)
    return dict(memberships.values_list("network_id", "role"))


class NetworkViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ApiViewSet
):
    """Networks you are a member of, and networks that applied to your fund."""

    serializer_class = NetworkSerializer
    cursor_ordering = ("name", "pk")
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return networks_for(self.request)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "my_roles": _my_roles(self.request)}

    @extend_schema(
        request=NetworkCreateSerializer,
        responses={201: NetworkSerializer},
        summary="Start a network; you become its coordinator (not with a fund key)",
    )
    def create(self, request):
        _refuse_fund_keys(request, _("A fund key cannot start a network. A person has to."))
        serializer = NetworkCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        network = services.network_create(actor=request.user, **serializer.validated_data)
        location = reverse("network-detail", args=[network.pk], request=request)
        data = self.get_serializer(network).data
        return Response(data, status=status.HTTP_201_CREATED, headers={"Location": location})

    @extend_schema(
        request=NetworkCreateSerializer(partial=True),
        responses={200: NetworkSerializer},
        summary="Change the network's details, its province and language too (coordinators)",
    )
    def partial_update(self, request, pk=None):
        network = self.get_object()
        serializer = NetworkCreateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        # Only what was sent: a partial serializer still fills in its defaults.
        changes = {
            key: serializer.validated_data[key]
            for key in request.data
            if key in serializer.validated_data
        }
        network = services.network_update(network=network, actor=request.user, **changes)
        return Response(self.get_serializer(network).data)

    @extend_schema(
        request=None,
        responses={204: None},
        summary="Leave the network (members; not its last coordinator, not with a fund key)",
    )
    @action(detail=True, methods=["post"])
    def leave(self, request, pk=None):
        network = self.get_object()
        _refuse_fund_keys(request, _("A fund key cannot leave a network. A person has to."))
        services.network_member_leave(network=network, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class NetworkNestedMixin:
    """For viewsets under ``networks/{network_pk}/``: the network, or 404."""

    @cached_property
    def network(self) -> Network:
        return get_object_or_404(networks_for(self.request), pk=self.kwargs["network_pk"])

    def is_coordinator(self) -> bool:
        role = _my_roles(self.request).get(self.network.pk)
        return role == NetworkMember.Role.COORDINATOR


class NetworkMemberViewSet(
    NetworkNestedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    ApiViewSet,
):
    """The members of a network you may see: people who accepted an invitation. Coordinators
    change roles and remove members; the last coordinator stays."""

    serializer_class = NetworkMemberSerializer
    cursor_ordering = ("pk",)
    lookup_value_regex = r"[0-9]+"
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return NetworkMember.objects.none()
        return self.network.members.select_related("user")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "swagger_fake_view", False):
            return context
        return {**context, "is_coordinator": self.is_coordinator()}

    @extend_schema(
        request=NetworkMemberSerializer,
        responses=NetworkMemberSerializer,
        summary="Change a member's role (coordinators); only `role` can change",
    )
    def partial_update(self, request, network_pk=None, pk=None):
        member = self.get_object()
        serializer = NetworkMemberSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        if "role" not in serializer.validated_data:
            raise ValidationError({"role": [_("Choose coordinator or member.")]})
        services.network_set_role(
            network=self.network,
            actor=request.user,
            member=member,
            role=serializer.validated_data["role"],
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=member.pk)).data)

    @extend_schema(
        responses={204: None},
        summary="Remove a member (coordinators); never the network's last coordinator",
    )
    def destroy(self, request, network_pk=None, pk=None):
        member = self.get_object()
        _refuse_fund_keys(request, _("A fund key cannot remove members. A person has to."))
        services.network_member_remove(network=self.network, actor=request.user, member=member)
        return Response(status=status.HTTP_204_NO_CONTENT)


class NetworkInvitationViewSet(
    NetworkNestedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    ApiViewSet,
):
    """A network's open invitations (pending or expired), for its coordinators. An invitation
    names only the address as typed; the person becomes a member by accepting it."""

    serializer_class = NetworkInvitationSerializer
    cursor_ordering = ("-sent_at", "-pk")
    lookup_value_regex = r"[0-9]+"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not getattr(self, "swagger_fake_view", False):
            self.network  # noqa: B018 - 404 first for a network the caller does not see
            _refuse_fund_keys(
                request, _("A fund key cannot manage a network's invitations. A person has to.")
            )

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return NetworkInvitation.objects.none()
        if not self.is_coordinator():
            raise PermissionDenied(_("Only a coordinator of the network can see its invitations."))
        return open_invitations(self.network)

    def _answer(self, invitation, status_code=status.HTTP_200_OK, headers=None) -> Response:
        invitation = NetworkInvitation.objects.get(pk=invitation.pk)
        return Response(self.get_serializer(invitation).data, status=status_code, headers=headers)

    @extend_schema(
        request=NetworkInvitationSerializer,
        responses={201: NetworkInvitationSerializer},
        summary="Invite an e-mail address (coordinators); it joins only by accepting",
    )
    def create(self, request, network_pk=None):
        network = self.network
        serializer = NetworkInvitationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invitation = services.network_invite_member(
            network=network,
            actor=request.user,
            email=serializer.validated_data["email"],
            role=serializer.validated_data["role"],
        )
        location = reverse(
            "network-invitation-detail", args=[network.pk, invitation.pk], request=request
        )
        return self._answer(invitation, status.HTTP_201_CREATED, {"Location": location})

    @extend_schema(
        request=None,
        responses=NetworkInvitationSerializer,
        summary="Send an invitation again (coordinators): a new link for 7 days, the old one dies",
    )
    @action(detail=True, methods=["post"])
    def resend(self, request, network_pk=None, pk=None):
        invitation = self.get_object()
        invitation = services.network_invitation_resend(invitation=invitation, actor=request.user)
        return self._answer(invitation)

    @extend_schema(
        request=None,
        responses={204: None},
        summary="Withdraw an invitation (coordinators): its link stops working",
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request, network_pk=None, pk=None):
        invitation = self.get_object()
        services.network_invitation_revoke(invitation=invitation, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitationAnswerViewSet(ApiViewSet):
    """The invited person answers, signed in with the invited address, with the link's token."""

    serializer_class = InvitationAnswerSerializer

    def _token(self, request) -> str:
        _refuse_fund_keys(request, _("A fund key cannot answer an invitation. A person has to."))
        serializer = InvitationAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data["token"]

    @extend_schema(
        request=InvitationAnswerSerializer,
        responses=NetworkSerializer,
        summary="Accept an invitation: you join the network (not with a fund key)",
    )
    @action(detail=False, methods=["post"])
    def accept(self, request):
        member = services.network_invitation_accept(token=self._token(request), actor=request.user)
        context = {**self.get_serializer_context(), "my_roles": _my_roles(request)}
        return Response(NetworkSerializer(member.network, context=context).data)

    @extend_schema(
        request=InvitationAnswerSerializer,
        responses={204: None},
        summary="Decline an invitation: its link stops working (not with a fund key)",
    )
    @action(detail=False, methods=["post"])
    def decline(self, request):
        services.network_invitation_decline(token=self._token(request), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


def register(router) -> None:
    router.register("networks", NetworkViewSet, basename="network")
    router.register(
        r"networks/(?P<network_pk>[0-9]+)/members", NetworkMemberViewSet, basename="network-member"
    )
    router.register(
        r"networks/(?P<network_pk>[0-9]+)/invitations",
        NetworkInvitationViewSet,
        basename="network-invitation",
    )
    router.register("invitations", InvitationAnswerViewSet, basename="invitation")
