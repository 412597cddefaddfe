"""The service's URLs plus the benchmark's baselines (``config.settings.bench`` only)."""

from django.urls import path

from config.urls import urlpatterns as service_urlpatterns

from .baselines import BareApplicationList, constant_json

urlpatterns = [
    path("bench/constant/", constant_json),
    path("bench/bare-drf/", BareApplicationList.as_view()),
    *service_urlpatterns,
]
