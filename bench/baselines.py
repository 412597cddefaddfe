"""Baselines the load benchmark measures beside the real endpoints, in the same run.

- ``constant_json``: the framework floor, a constant JSON answer from a plain Django view.
- ``BareApplicationList``: bare DRF serialising the same 50 rows the list API returns (one fund's
  applications, newest change first, with their steps) through the same serializer, with no
  authentication, permissions, throttling, filters or pagination.
"""

from django.http import JsonResponse
from rest_framework.generics import ListAPIView

from api.applications.serializers.applications import ApplicationSerializer
from applications.models import Application


def constant_json(request):
    return JsonResponse({"status": "ok"})


class BareApplicationList(ListAPIView):
    authentication_classes = []
    permission_classes = []
    throttle_classes = []
    filter_backends = []
    pagination_class = None
    serializer_class = ApplicationSerializer

    def get_queryset(self):
        # The same rows in the same shape as the list API: the ratio is then the cost of
        # authentication, permissions, filters and pagination, not of a different query.
        applications = Application.objects.filter(
            programme__fund__slug=self.request.GET["fund"]
        ).select_related("network", "programme__fund", "current_step")
        return ApplicationSerializer.prepare(applications).order_by("-updated_at", "-pk")[:50]
