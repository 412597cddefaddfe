"""Networks and their members.

Members see their own networks; the fund's officers (and the fund's keys) see the networks that
applied to the fund. Anyone signed in may start a network and becomes its coordinator; only
coordinators invite people and change roles (``applications.services``, as the web screens).
A fund key reads networks but never starts one.
"""

from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.reverse import reverse

from api.applications.access import networks_for
from api.applications.serializers.networks import (
    NetworkCreateSerializer,
    NetworkMemberSerializer,
    NetworkSerializer,
)
from api.base import ApiViewSet, get_object_or_404
from api.scoping import key_fund_id
from applications import services
from applications.models import Network, NetworkMember


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
        if key_fund_id(request):
            raise PermissionDenied(_("A fund key cannot start a network. A person has to."))
        serializer = NetworkCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        network = services.network_create(actor=request.user, **serializer.validated_data)
        location = reverse("network-detail", args=[network.pk], request=request)
        data = self.get_serializer(network).data
        return Response(data, status=status.HTTP_201_CREATED, headers={"Location": location})


class NetworkMemberViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ApiViewSet
):
    """The members of a network you may see. Coordinators invite people and change roles."""

    serializer_class = NetworkMemberSerializer
    cursor_ordering = ("pk",)
    lookup_value_regex = r"[0-9]+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    @cached_property
    def network(self) -> Network:
        return get_object_or_404(networks_for(self.request), pk=self.kwargs["network_pk"])

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return NetworkMember.objects.none()
        return self.network.members.select_related("user")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "swagger_fake_view", False):
            return context
        role = _my_roles(self.request).get(self.network.pk)
        return {**context, "is_coordinator": role == NetworkMember.Role.COORDINATOR}

    @extend_schema(
        request=NetworkMemberSerializer,
        responses={201: NetworkMemberSerializer},
        summary="Invite someone by e-mail (coordinators); they get a sign-in link",
    )
    def create(self, request, network_pk=None):
        network = self.network
        serializer = NetworkMemberSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        email = serializer.validated_data["email"]
        if not email:
            raise ValidationError({"email": [_("Enter the e-mail address of the new member.")]})
        member = services.network_invite_member(
            network=network, actor=request.user, email=email, role=serializer.validated_data["role"]
        )
        member = self.get_queryset().get(pk=member.pk)
        location = reverse("network-member-detail", args=[network.pk, member.pk], request=request)
        data = self.get_serializer(member).data
        return Response(data, status=status.HTTP_201_CREATED, headers={"Location": location})

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


def register(router) -> None:
    router.register("networks", NetworkViewSet, basename="network")
    router.register(
        r"networks/(?P<network_pk>[0-9]+)/members", NetworkMemberViewSet, basename="network-member"
    )
