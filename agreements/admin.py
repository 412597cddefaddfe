"""Admin for agreements: a readable record. Changes go through the action registries
(``agreements.actions``), as on the web pages and in the API. Who sees which agreement, tranche
and report is ``agreements.selectors``, as on the web pages and in the API."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django_fsm_log.admin import StateLogInline

from core.admin import FundScopedAdmin, ReadOnlyAdmin, ReadOnlyInline
from core.exceptions import InvalidTransition

from .actions import AGREEMENT_ACTIONS
from .models import Agreement, Report, ReportAttachment, ReportComment, Signatory, Tranche
from .selectors import agreement_list, report_list, tranche_list


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

    def get_queryset(self, request):
        # A draft's tranches are the fund's business only, as on the agreement page.
        tranches = super().get_queryset(request)
        if request.user.is_superuser:
            return tranches
        return tranches.filter(pk__in=tranche_list(request.user).values("pk"))


@admin.register(Agreement)
class AgreementAdmin(ReadOnlyAdmin, FundScopedAdmin):
    list_display = ["application", "arrangement", "state", "amount", "sent_at", "executed_at"]
    list_filter = ["state", "arrangement"]
    search_fields = ["application__title", "application__network__name"]
    list_select_related = ["application__network"]
    inlines = [SignatoryInline, TrancheInline, StateLogInline]
    exclude = ["frozen_html"]
    actions = ["cancel_agreements"]

    def visible_to(self, user):
        return agreement_list(user)

    @admin.action(description="Cancel (draft or out for signature)")
    def cancel_agreements(self, request, queryset):
        for agreement in queryset.select_related("application__programme__fund"):
            try:
                AGREEMENT_ACTIONS.run("cancel", agreement, actor=request.user)
            except (PermissionDenied, InvalidTransition, ValidationError) as error:
                messages.error(request, f"{agreement}: {_message(error)}")


def _message(error) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(getattr(error, "message", None) or error)


class AttachmentInline(ReadOnlyInline):
    model = ReportAttachment
    fields = ["original_name", "content_type", "size", "sha256"]
    readonly_fields = fields


class CommentInline(ReadOnlyInline):
    model = ReportComment
    fields = ["author", "author_role", "body", "created_at"]
    readonly_fields = fields


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin, FundScopedAdmin):
    list_display = ["agreement", "kind", "state", "submitted_at", "accepted_at"]
    list_filter = ["kind", "state"]
    inlines = [AttachmentInline, CommentInline, StateLogInline]

    def visible_to(self, user):
        return report_list(user)
