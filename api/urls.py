"""/api/v1/ resources, the OpenAPI schema at /api/schema/ and its docs at /api/docs/."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from api.views import agreements, applications, catalogue, exports, networks, pools, webhooks

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
for resources in (catalogue, networks, applications, agreements, pools, exports, webhooks):
    resources.register(router)

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
