from .credentials import FundAPIKey, FundKeyChange, PersonalAccessToken, Scope
from .webhooks import WebhookAttempt, WebhookDelivery, WebhookEndpoint

__all__ = [
    "FundAPIKey",
    "FundKeyChange",
    "PersonalAccessToken",
    "Scope",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
]
