from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

urlpatterns = [
    path("admin/", admin.site.urls),
    # Until the public web screens exist, the home page leads to the admin sign-in.
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
]
