from django.contrib import admin

from .models import Fund, FundMembership, Programme, StepDefinition, Theme


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


class FundMembershipInline(admin.TabularInline):
    model = FundMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Fund)
class FundAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "contact_email"]
    search_fields = ["name", "region"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["themes"]
    inlines = [FundMembershipInline]


class StepDefinitionInline(admin.StackedInline):
    model = StepDefinition
    extra = 0
    ordering = ["order"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["title", "fund", "opens_on", "closes_on", "max_amount", "budget"]
    list_filter = ["fund", "accepts_cooperation_agreement", "accepts_host_organisation"]
    search_fields = ["title", "fund__name"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["fund"]
    inlines = [StepDefinitionInline]


@admin.register(FundMembership)
class FundMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "fund", "role"]
    list_filter = ["role", "fund"]
    search_fields = ["user__username", "user__email", "fund__name"]
    autocomplete_fields = ["user"]
