"""/api/v1/ resources, the OpenAPI schema at /api/schema/ and its docs at /api/docs/.

The API is laid out by domain (``api/funds``, ``api/applications``, ``api/agreements``,
``api/pools``, ``api/integrations``); each registers its resources on the one router.
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from api.agreements.views import agreements
from api.applications.views import applications, networks, referrals
from api.funds import views as catalogue
from api.integrations.views import exports, webhooks
from api.pools.views import pools

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
for resources in (
    catalogue,
    networks,
    applications,
    referrals,
    agreements,
    pools,
    exports,
    webhooks,
):
    resources.register(router)

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
