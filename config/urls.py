from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    # Before Django's own: the switch also stores a signed-in person's language.
    path("", include("notifications.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("funds.urls")),
    path("", include("applications.urls")),
    path("agreements/", include("agreements.urls")),
    path("pools/", include("pools.urls")),
    path("directory/", include("directory.urls")),
    path("api/", include("api.urls")),
    path("integrations/", include("integrations.urls")),
    path("", include("privacy.urls")),
]

# Unmatched URLs under /api/ answer with a problem document, as every other API error does.
handler404 = "api.errors.page_not_found"
