"""Admin for funds and their programmes: a fund's staff see their own funds (``funds.selectors``)."""

from django.contrib import admin

from core.admin import FundScopedAdmin, ScopedChoices, SharedAdmin

from .models import Fund, FundMembership, Programme, StepDefinition, Theme
from .selectors import staff_fund_list, staff_membership_list, staff_programme_list


@admin.register(Theme)
class ThemeAdmin(SharedAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


class FundMembershipInline(ScopedChoices, admin.TabularInline):
    model = FundMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Fund)
class FundAdmin(FundScopedAdmin):
    list_display = ["name", "region", "contact_email"]
    search_fields = ["name", "region"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["themes"]
    inlines = [FundMembershipInline]

    def visible_to(self, user):
        return staff_fund_list(user)


class StepDefinitionInline(ScopedChoices, admin.StackedInline):
    model = StepDefinition
    extra = 0
    ordering = ["order"]


@admin.register(Programme)
class ProgrammeAdmin(FundScopedAdmin):
    list_display = ["title", "fund", "opens_on", "closes_on", "max_amount", "budget"]
    list_filter = [
        "fund",
        "accepts_cooperation_agreement",
        "accepts_host_organisation",
        "provinces",
    ]
    search_fields = ["title", "fund__name"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["fund"]
    # The region: where networks must be active to apply (none chosen: the whole country).
    filter_horizontal = ["provinces"]
    inlines = [StepDefinitionInline]

    def visible_to(self, user):
        return staff_programme_list(user)


@admin.register(FundMembership)
class FundMembershipAdmin(FundScopedAdmin):
    list_display = ["user", "fund", "role"]
    list_filter = ["role", "fund"]
    search_fields = ["user__username", "user__email", "fund__name"]
    autocomplete_fields = ["user"]

    def visible_to(self, user):
        return staff_membership_list(user)
