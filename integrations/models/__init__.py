from .credentials import FundAPIKey, PersonalAccessToken, Scope
from .webhooks import Event, WebhookAttempt, WebhookDelivery, WebhookEndpoint

__all__ = [
    "Event",
    "FundAPIKey",
    "PersonalAccessToken",
    "Scope",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
]
