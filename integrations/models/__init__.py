from .credentials import FundAPIKey, PersonalAccessToken, Scope
from .webhooks import WebhookAttempt, WebhookDelivery, WebhookEndpoint

__all__ = [
    "FundAPIKey",
    "PersonalAccessToken",
    "Scope",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
]
