"""The HTTP side of "who sees what" for networks and applications: the rule itself is
``applications.selectors``, the same the web screens use; the API only adds the calling key's fund.
"""

from functools import cached_property

from django.db.models import QuerySet

from api.base import get_object_or_404
from api.scoping import key_fund_id
from applications.models import Application, Network
from applications.selectors import visible_applications, visible_networks


def applications_for(request) -> QuerySet[Application]:
    return visible_applications(request.user, fund_id=key_fund_id(request))


def networks_for(request) -> QuerySet[Network]:
    return visible_networks(request.user, fund_id=key_fund_id(request))


class ApplicationNestedMixin:
    """For viewsets under ``applications/{application_pk}/``: the application, or 404."""

    @cached_property
    def application(self) -> Application:
        return get_object_or_404(applications_for(self.request), pk=self.kwargs["application_pk"])
