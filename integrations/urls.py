"""Screens for API keys, personal tokens and webhooks, mounted at /integrations/."""

from integrations.views import credentials, webhooks

urlpatterns = [*credentials.urlpatterns, *webhooks.urlpatterns]
