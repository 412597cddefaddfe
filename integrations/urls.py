"""Screens for API keys, personal tokens and webhooks, and a programme's CSV downloads,
mounted at /integrations/."""

from integrations.views import credentials, downloads, webhooks

urlpatterns = [*credentials.urlpatterns, *webhooks.urlpatterns, *downloads.urlpatterns]
