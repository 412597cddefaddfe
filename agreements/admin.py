"""Admin for agreements: a readable record. Changes go through the services (web, API)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django_fsm_log.admin import StateLogInline

from core.exceptions import InvalidTransition

from . import services
from .models import Agreement, Report, ReportAttachment, ReportComment, Signatory, Tranche


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SignatoryInline(ReadOnlyInline):
    model = Signatory
    fields = ["role", "name", "email", "signed_at", "typed_name", "ip_address", "seen_sha256"]
    readonly_fields = fields


class TrancheInline(ReadOnlyInline):
    model = Tranche
    fields = [
        "number",
        "amount",
        "trigger",
        "state",
        "due_at",
        "paid_on",
        "payment_reference",
        "paid_by",
    ]
    readonly_fields = fields


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Agreement)
class AgreementAdmin(ReadOnlyAdmin):
    list_display = ["application", "arrangement", "state", "amount", "sent_at", "executed_at"]
    list_filter = ["state", "arrangement"]
    search_fields = ["application__title", "application__network__name"]
    list_select_related = ["application__network"]
    inlines = [SignatoryInline, TrancheInline, StateLogInline]
    exclude = ["frozen_html"]
    actions = ["cancel_agreements"]

    @admin.action(description="Cancel (draft or out for signature)")
    def cancel_agreements(self, request, queryset):
        for agreement in queryset:
            try:
                services.agreement_cancel(agreement=agreement, actor=request.user)
            except (PermissionDenied, InvalidTransition) as error:
                messages.error(request, f"{agreement}: {error}")


class AttachmentInline(ReadOnlyInline):
    model = ReportAttachment
    fields = ["original_name", "content_type", "size", "sha256"]
    readonly_fields = fields


class CommentInline(ReadOnlyInline):
    model = ReportComment
    fields = ["author", "author_role", "body", "created_at"]
    readonly_fields = fields


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["agreement", "kind", "state", "submitted_at", "accepted_at"]
    list_filter = ["kind", "state"]
    inlines = [AttachmentInline, CommentInline, StateLogInline]
