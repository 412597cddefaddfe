"""Admin for pools, service types and providers. Allocations change only through the services.
A fund's staff see the pools their funds contribute to (``pools.selectors``), as on /pools/."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from django_fsm_log.admin import StateLogInline

from core.admin import (
    FundScopedAdmin,
    ReadOnlyAdmin,
    ReadOnlyInline,
    ScopedChoices,
    SharedAdmin,
)
from core.exceptions import InvalidTransition

from .actions import ALLOCATION_ACTIONS
from .models import (
    Allocation,
    Contribution,
    Delivery,
    PoolService,
    Provider,
    ServiceType,
    SupportPool,
)
from .selectors import allocation_list, pool_list, provider_list


@admin.register(ServiceType)
class ServiceTypeAdmin(SharedAdmin):
    list_display = ["code", "name", "name_en", "active", "order"]
    list_editable = ["active", "order"]
    prepopulated_fields = {"code": ["name_en"]}


class ContributionInline(ScopedChoices, admin.TabularInline):
    model = Contribution
    extra = 1
    min_num = 1
    autocomplete_fields = ["fund"]


class PoolServiceInline(ScopedChoices, admin.TabularInline):
    model = PoolService
    extra = 1


class ProviderInline(ScopedChoices, admin.TabularInline):
    model = Provider
    extra = 0
    fields = [
        "name",
        "organisation",
        "service_type",
        "email",
        "phone",
        "user",
        "hourly_rate",
        "active",
    ]
    raw_id_fields = ["user"]


@admin.register(SupportPool)
class SupportPoolAdmin(FundScopedAdmin):
    list_display = ["name", "starts_on", "ends_on"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ContributionInline, PoolServiceInline, ProviderInline]

    def visible_to(self, user):
        return pool_list(user)


@admin.register(Provider)
class ProviderAdmin(FundScopedAdmin):
    list_display = ["name", "organisation", "pool", "service_type", "hourly_rate", "active"]
    list_filter = ["pool", "service_type", "active"]
    search_fields = ["name", "organisation", "email"]
    raw_id_fields = ["user"]

    def visible_to(self, user):
        return provider_list(user)


class DeliveryInline(ReadOnlyInline):
    model = Delivery
    fields = ["delivered_on", "hours", "note", "hourly_rate", "logged_by", "logged_at"]
    readonly_fields = fields


@admin.register(Allocation)
class AllocationAdmin(ReadOnlyAdmin, FundScopedAdmin):
    list_display = ["application", "service", "hours", "delivered_hours", "state", "provider"]
    list_filter = ["state", "service__pool", "service__service_type"]
    search_fields = ["application__title", "application__network__name", "need"]
    list_select_related = [
        "application__network",
        "service__pool",
        "service__service_type",
        "provider",
    ]
    inlines = [DeliveryInline, StateLogInline]
    actions = ["release_allocations", "close_allocations"]

    def visible_to(self, user):
        return allocation_list(user)

    def _run(self, request, queryset, name: str):
        """Each allocation through the registry, as the allocation page and the API do."""
        for allocation in queryset:
            try:
                ALLOCATION_ACTIONS.run(name, allocation, actor=request.user)
            except (PermissionDenied, InvalidTransition, ValidationError) as error:
                message = getattr(error, "message", None) or "; ".join(
                    getattr(error, "messages", None) or [str(error)]
                )
                messages.error(request, f"{allocation}: {message}")

    @admin.action(description=_("Release (hours go back to the pool)"))
    def release_allocations(self, request, queryset):
        self._run(request, queryset, "release")

    @admin.action(description=_("Close (undelivered hours go back to the pool)"))
    def close_allocations(self, request, queryset):
        self._run(request, queryset, "close")
