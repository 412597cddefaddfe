"""Which networks and applications a caller sees through the API.

People see what the web screens show them (``applications.selectors.application_list``): their
networks' applications and those of the funds they work for. A fund key sees only its own fund's
applications, and the networks that applied to it. Anything else is a 404, also for a guessed id.
Who may *act* is decided by the services, with ``applications.permissions``.
"""

from functools import cached_property

from django.db.models import Q, QuerySet

from api.scoping import key_fund_id
from applications.models import Application, Network
from applications.selectors import application_list
from integrations.models import Scope

from .base import get_object_or_404


def visible_applications(request) -> QuerySet[Application]:
    applications = application_list(user=request.user)
    fund_id = key_fund_id(request)
    return applications.filter(programme__fund_id=fund_id) if fund_id else applications


def visible_networks(request) -> QuerySet[Network]:
    """The caller's own networks, and those that applied to a fund the caller works for."""
    user = request.user
    if not user.is_authenticated or not user.is_active:
        return Network.objects.none()
    fund_id = key_fund_id(request)
    if fund_id:
        visible = Q(applications__programme__fund_id=fund_id)
    else:
        visible = Q(members__user=user) | Q(applications__programme__fund__memberships__user=user)
    return Network.objects.filter(pk__in=Network.objects.filter(visible).values("pk"))


def may_write(request) -> bool:
    """False for a read-only key or token: it is offered no actions."""
    scope = getattr(request.auth, "scope", None)
    return scope is None or scope == Scope.READ_WRITE


class ApplicationNestedMixin:
    """For viewsets under ``applications/{application_pk}/``: the application, or 404."""

    @cached_property
    def application(self) -> Application:
        return get_object_or_404(
            visible_applications(self.request), pk=self.kwargs["application_pk"]
        )
