"""Admin for keys, tokens and webhooks: for looking, not for editing.

Keys and tokens are created where their secret can be shown once (the web screens and the API);
here they can be revoked, through the same services and their permission rules. Webhook
endpoints, events and deliveries are shown read-only, without the signing secrets.

A fund's staff see their funds' keys, endpoints, events and deliveries, and only their own
personal tokens (``integrations.selectors``). The library's bare API keys (unused: ours are
``FundAPIKey`` and ``PersonalAccessToken``) and the task queue's results (their arguments name
rows of any fund) are for superusers only.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult
from rest_framework_api_key.models import APIKey

from core.admin import FundScopedAdmin, ReadOnlyAdmin, ReadOnlyInline, superusers_only
from core.models import Event
from funds.models import Fund
from funds.selectors import staff_fund_list
from integrations import selectors, services
from integrations.models import (
    FundAPIKey,
    PersonalAccessToken,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)


class RevokeMixin:
    """Revoke through the service, which decides who may: a superuser is no exception."""

    revoke_argument = "key"

    def _revoke(self, request, queryset):
        done = 0
        for credential in queryset.filter(revoked=False):
            try:
                self.revoke_service(actor=request.user, **{self.revoke_argument: credential})
            except PermissionDenied as error:
                messages.error(request, f"{credential.prefix}: {error}")
            else:
                done += 1
        if done:
            messages.success(request, _("%(n)s revoked.") % {"n": done})


@admin.register(FundAPIKey)
class FundAPIKeyAdmin(RevokeMixin, ReadOnlyAdmin, FundScopedAdmin):
    list_display = ["prefix", "name", "scope", "fund", "user", "created", "last_used_at", "revoked"]
    list_filter = ["revoked", "scope", "fund"]
    search_fields = ["prefix", "name", "fund__name"]
    list_select_related = ["fund", "user"]
    exclude = ["id", "hashed_key"]
    actions = ["revoke"]
    revoke_service = staticmethod(services.fund_key_revoke)
    revoke_argument = "key"

    def visible_to(self, user):
        return selectors.fund_key_list(user)

    @admin.action(description=_("Revoke (the key stops working at once)"))
    def revoke(self, request, queryset):
        self._revoke(request, queryset)


@admin.register(PersonalAccessToken)
class PersonalAccessTokenAdmin(RevokeMixin, ReadOnlyAdmin, FundScopedAdmin):
    list_display = ["prefix", "name", "scope", "user", "created", "last_used_at", "revoked"]
    list_filter = ["revoked", "scope"]
    search_fields = ["prefix", "name", "user__username", "user__email"]
    list_select_related = ["user"]
    exclude = ["id", "hashed_key"]
    actions = ["revoke"]
    revoke_service = staticmethod(services.personal_token_revoke)
    revoke_argument = "token"

    def visible_to(self, user):
        return selectors.personal_token_list(user)

    @admin.action(description=_("Revoke (the token stops working at once)"))
    def revoke(self, request, queryset):
        self._revoke(request, queryset)


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ReadOnlyAdmin, FundScopedAdmin):
    list_display = ["url", "fund", "active", "disabled_reason", "created_at"]
    list_filter = ["active", "fund"]
    search_fields = ["url", "description", "fund__name"]
    list_select_related = ["fund"]
    exclude = ["secret", "previous_secret"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def visible_to(self, user):
        return selectors.webhook_endpoint_list(user)


class EventFundFilter(admin.SimpleListFilter):
    """By fund name: an event keeps its fund as a plain number (``core.Event.fund_id``)."""

    title = _("fund")
    parameter_name = "fund"

    def lookups(self, request, model_admin):
        funds = Fund.objects if request.user.is_superuser else staff_fund_list(request.user)
        return funds.order_by("name").values_list("pk", "name")

    def queryset(self, request, queryset):
        if (self.value() or "").isdigit():
            return queryset.filter(fund_id=self.value())
        return queryset


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin, FundScopedAdmin):
    list_display = ["type", "fund_id", "created_at", "fanned_out_at"]
    list_filter = ["type", EventFundFilter]
    date_hierarchy = "created_at"

    def visible_to(self, user):
        return selectors.event_list(user)


class WebhookAttemptInline(ReadOnlyInline):
    model = WebhookAttempt
    fields = ["attempted_at", "outcome", "status_code", "duration_ms", "error", "response_excerpt"]
    readonly_fields = fields


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin, FundScopedAdmin):
    list_display = [
        "webhook_id",
        "endpoint",
        "state",
        "attempts",
        "last_status_code",
        "next_attempt_at",
    ]
    list_filter = ["state", "endpoint__fund"]
    search_fields = ["webhook_id", "endpoint__url"]
    list_select_related = ["endpoint", "event"]
    inlines = [WebhookAttemptInline]

    def visible_to(self, user):
        return selectors.webhook_delivery_list(user)


# Registered by their libraries for everyone with the view right; here for superusers only.
superusers_only(APIKey, DBTaskResult)
