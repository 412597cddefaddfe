"""Who sees which keys, tokens, webhooks and events: a fund's officers and managers see their
fund's (the screens under /integrations/ let its managers act on them); a personal token is its
owner's alone. Anything outside is a 404 on the screens and absent from the admin.
"""

from django.db.models import QuerySet

from core.models import Event
from funds.selectors import staff_fund_list

from .models import FundAPIKey, PersonalAccessToken, WebhookDelivery, WebhookEndpoint


def _funds(user) -> QuerySet:
    return staff_fund_list(user).values("pk")


def fund_key_list(user) -> QuerySet[FundAPIKey]:
    """The API keys of the funds ``user`` works for."""
    return FundAPIKey.objects.filter(fund__in=_funds(user))


def personal_token_list(user) -> QuerySet[PersonalAccessToken]:
    """``user``'s own personal access tokens: nobody else's, whatever their role."""
    if user is None or not user.is_authenticated or not user.is_active:
        return PersonalAccessToken.objects.none()
    return PersonalAccessToken.objects.filter(user=user)


def webhook_endpoint_list(user) -> QuerySet[WebhookEndpoint]:
    """The webhook endpoints of the funds ``user`` works for."""
    return WebhookEndpoint.objects.filter(fund__in=_funds(user))


def webhook_delivery_list(user) -> QuerySet[WebhookDelivery]:
    """The deliveries to those endpoints: the delivery log the fund sees."""
    return WebhookDelivery.objects.filter(endpoint__fund__in=_funds(user))


def event_list(user) -> QuerySet[Event]:
    """The outbox events of the funds ``user`` works for (``Event.fund_id`` is a plain number)."""
    return Event.objects.filter(fund_id__in=_funds(user))
