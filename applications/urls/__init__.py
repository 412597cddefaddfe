from django.urls import include, path

urlpatterns = [
    path("", include("applications.urls.accounts")),
    path("", include("applications.urls.networks")),
    path("", include("applications.urls.applications")),
]
