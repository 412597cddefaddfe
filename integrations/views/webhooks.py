"""Web screens for webhooks, under /integrations/webhooks/.

Managers of a fund register, disable, enable, rotate, delete, test and replay; its officers see
the endpoints and the delivery log. Anyone else gets a 404, also for a guessed id. Every write
goes through ``integrations.webhooks.services``; a secret is shown once, in the response to the
POST that created it, and never stored in the session or shown again.
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.exceptions import InvalidTransition
from core.web import add_service_errors
from funds.models import Fund
from integrations.events import EVENT_TYPES
from integrations.models import WebhookDelivery, WebhookEndpoint
from integrations.webhooks import services, signing
from integrations.webhooks.forms import EndpointForm

LOG_LENGTH = 50


def _staff_funds(user):
    return Fund.objects.filter(memberships__user=user).order_by("name").distinct()


def _fund(request, pk) -> Fund:
    return get_object_or_404(_staff_funds(request.user), pk=pk)


def _endpoint(request, pk) -> WebhookEndpoint:
    return get_object_or_404(
        WebhookEndpoint.objects.select_related("fund").filter(fund__in=_staff_funds(request.user)),
        pk=pk,
    )


def _deliveries(**filters):
    return WebhookDelivery.objects.filter(**filters).select_related("event", "endpoint")


def _context(fund, user, **extra) -> dict:
    return {"fund": fund, "is_manager": services.manager_refusal(fund, user) is None, **extra}


@login_required
def webhooks_home(request):
    funds = list(_staff_funds(request.user))
    if len(funds) == 1:
        return redirect("webhook_fund", fund_pk=funds[0].pk)
    return render(request, "integrations/webhooks_home.html", {"funds": funds})


@login_required
def webhook_fund(request, fund_pk):
    fund = _fund(request, fund_pk)
    endpoints = fund.webhook_endpoints.all()
    deliveries = _deliveries(endpoint__fund=fund)[:LOG_LENGTH]
    return render(
        request,
        "integrations/webhooks_fund.html",
        _context(
            fund, request.user, endpoints=endpoints, deliveries=deliveries, event_types=EVENT_TYPES
        ),
    )


def _secret_page(request, endpoint, secret, *, rotated: bool):
    """The only time the secret is shown; the page is never cached."""
    return render(
        request,
        "integrations/webhooks_secret.html",
        _context(endpoint.fund, request.user, endpoint=endpoint, secret=secret, rotated=rotated),
    )


@never_cache
@login_required
def webhook_create(request, fund_pk):
    fund = _fund(request, fund_pk)
    refusal = services.manager_refusal(fund, request.user)
    if refusal:
        raise PermissionDenied(refusal)
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint, secret = services.endpoint_create(
                fund=fund, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _secret_page(request, endpoint, secret, rotated=False)
    return render(
        request, "integrations/webhooks_form.html", _context(fund, request.user, form=form)
    )


@login_required
def webhook_endpoint(request, pk):
    endpoint = _endpoint(request, pk)
    deliveries = _deliveries(endpoint=endpoint)[:LOG_LENGTH]
    return render(
        request,
        "integrations/webhooks_endpoint.html",
        _context(
            endpoint.fund,
            request.user,
            endpoint=endpoint,
            deliveries=deliveries,
            event_types=EVENT_TYPES,
        ),
    )


def _act(request, endpoint, action, success: str):
    try:
        action(endpoint=endpoint, actor=request.user)
    except InvalidTransition as error:
        messages.error(request, error.message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect("webhook_endpoint", pk=endpoint.pk)


@require_POST
@login_required
def webhook_disable(request, pk):
    endpoint = _endpoint(request, pk)
    return _act(
        request,
        endpoint,
        services.endpoint_disable,
        _("The endpoint is disabled. Nothing is sent to it now."),
    )


@require_POST
@login_required
def webhook_enable(request, pk):
    endpoint = _endpoint(request, pk)
    return _act(
        request,
        endpoint,
        services.endpoint_enable,
        _("The endpoint is active again. New events are sent to it."),
    )


@require_POST
@login_required
def webhook_test(request, pk):
    endpoint = _endpoint(request, pk)
    return _act(
        request,
        endpoint,
        services.endpoint_send_test,
        _("A test event is on its way. Its delivery appears below."),
    )


@never_cache
@require_POST
@login_required
def webhook_rotate(request, pk):
    endpoint = _endpoint(request, pk)
    endpoint, secret = services.endpoint_rotate_secret(endpoint=endpoint, actor=request.user)
    return _secret_page(request, endpoint, secret, rotated=True)


@login_required
def webhook_delete(request, pk):
    endpoint = _endpoint(request, pk)
    refusal = services.manager_refusal(endpoint.fund, request.user)
    if refusal:
        raise PermissionDenied(refusal)
    if request.method == "POST":
        fund = endpoint.fund
        services.endpoint_delete(endpoint=endpoint, actor=request.user)
        messages.success(request, _("The endpoint and its delivery log are deleted."))
        return redirect("webhook_fund", fund_pk=fund.pk)
    return render(
        request,
        "integrations/webhooks_delete.html",
        _context(endpoint.fund, request.user, endpoint=endpoint),
    )


def _delivery(request, pk) -> WebhookDelivery:
    visible = _deliveries(endpoint__fund__in=_staff_funds(request.user))
    return get_object_or_404(visible.select_related("endpoint__fund"), pk=pk)


@login_required
def webhook_delivery(request, pk):
    delivery = _delivery(request, pk)
    message = json.loads(signing.body(delivery.event))
    return render(
        request,
        "integrations/webhooks_delivery.html",
        _context(
            delivery.endpoint.fund,
            request.user,
            delivery=delivery,
            endpoint=delivery.endpoint,
            attempts=delivery.attempt_log.all(),
            message=json.dumps(message, indent=2, ensure_ascii=False),
        ),
    )


@require_POST
@login_required
def webhook_replay(request, pk):
    delivery = _delivery(request, pk)
    try:
        services.delivery_replay(delivery=delivery, actor=request.user)
    except InvalidTransition as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The delivery is sent again, with the same webhook-id."))
    return redirect("webhook_delivery", pk=delivery.pk)


urlpatterns = [
    path("webhooks/", webhooks_home, name="webhooks_home"),
    path("webhooks/funds/<int:fund_pk>/", webhook_fund, name="webhook_fund"),
    path("webhooks/funds/<int:fund_pk>/new/", webhook_create, name="webhook_create"),
    path("webhooks/<int:pk>/", webhook_endpoint, name="webhook_endpoint"),
    path("webhooks/<int:pk>/disable/", webhook_disable, name="webhook_disable"),
    path("webhooks/<int:pk>/enable/", webhook_enable, name="webhook_enable"),
    path("webhooks/<int:pk>/test/", webhook_test, name="webhook_test"),
    path("webhooks/<int:pk>/rotate/", webhook_rotate, name="webhook_rotate"),
    path("webhooks/<int:pk>/delete/", webhook_delete, name="webhook_delete"),
    path("webhooks/deliveries/<int:pk>/", webhook_delivery, name="webhook_delivery"),
    path("webhooks/deliveries/<int:pk>/replay/", webhook_replay, name="webhook_replay"),
]
