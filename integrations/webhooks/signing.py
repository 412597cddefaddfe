"""The message a receiver gets: a JSON body and the Standard Webhooks headers.

The signature comes from the ``standardwebhooks`` reference package, so receivers can verify it
with any Standard Webhooks library: ``Webhook(secret).verify(body, headers)``.
"""

import datetime
import json

from standardwebhooks import Webhook

from core.events import iso
from core.models import Event

USER_AGENT = "Eigenwijs-Webhooks/1.0"


def body(event: Event) -> str:
    """``{"type", "timestamp", "data"}``: the same bytes on every retry of the event."""
    message = {"type": event.type, "timestamp": iso(event.created_at), "data": event.payload}
    return json.dumps(message, separators=(",", ":"), ensure_ascii=False, sort_keys=True)


def headers(webhook_id: str, payload: str, secrets: list[str], sent_at) -> dict[str, str]:
    """Signed with every given secret (during a rotation the old and the new one)."""
    moment = sent_at.astimezone(datetime.UTC)  # sign() assumes UTC; another zone signs wrongly
    signatures = [Webhook(secret).sign(webhook_id, moment, payload) for secret in secrets]
    return {
        "webhook-id": webhook_id,
        "webhook-timestamp": str(int(moment.timestamp())),
        "webhook-signature": " ".join(signatures),
        "content-type": "application/json",
        "user-agent": USER_AGENT,
    }
