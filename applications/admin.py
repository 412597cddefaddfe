"""Admin for networks and applications.

Transitions are offered as buttons on the application page, each through the same service
functions as the web and the API (not django-fsm's FSMAdminMixin, which would skip the row
lock, the log and the notifications).
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django_fsm_log.admin import StateLogInline

from core.exceptions import InvalidTransition

from . import services
from .forms import (
    AwardForm,
    DeclineForm,
    NoteForm,
    ReferralFormSet,
    RequestChangesForm,
    add_service_errors,
    decline_referrals,
)
from .models import Application, Network, NetworkMember, Referral, Step
from .selectors import application_list
from .workflow import TRANSITIONS, available_transitions

TRANSITION_FORMS = {
    "submit_step": NoteForm,
    "request_changes": RequestChangesForm,
    "accept_step": NoteForm,
    "award": AwardForm,
    "decline": DeclineForm,
    "withdraw": NoteForm,
}


class NetworkMemberInline(admin.TabularInline):
    model = NetworkMember
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "area", "legal_status", "kvk_number"]
    list_filter = ["legal_status"]
    search_fields = ["name", "area", "kvk_number"]
    inlines = [NetworkMemberInline]


class StepInline(admin.TabularInline):
    model = Step
    fields = ["order", "display_title", "status", "status_changed_at"]
    readonly_fields = fields
    can_delete = False
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False


class ReferralInline(admin.TabularInline):
    model = Referral
    fields = ["programme", "organisation", "contact_name", "phone", "email", "note"]
    readonly_fields = fields
    can_delete = False
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["title", "network", "programme", "state", "updated_at"]
    list_filter = ["state", "programme__fund", "programme"]
    search_fields = ["title", "network__name"]
    list_select_related = ["network", "programme__fund"]
    readonly_fields = [
        "network",
        "programme",
        "state",
        "current_step",
        "requested_amount",
        "awarded_amount",
        "decline_reason",
        "decline_advice",
        "decided_at",
        "created_by",
        "created_at",
        "updated_at",
    ]
    fields = ["title", *readonly_fields]
    inlines = [StepInline, ReferralInline, StateLogInline]
    change_form_template = "admin/applications/application/change_form.html"
    actions = ["accept_submitted_steps"]

    def get_queryset(self, request):
        # Fund staff see their own funds' applications only, as everywhere else.
        if request.user.is_superuser:
            return super().get_queryset(request)
        return application_list(user=request.user)

    def has_add_permission(self, request):
        return False  # applications start through the web or the API, which create their steps

    def has_delete_permission(self, request, obj=None):
        return False  # the application and its history are the record of a decision

    def get_urls(self):
        return [
            path(
                "<int:pk>/transition/<str:name>/",
                self.admin_site.admin_view(self.transition_view),
                name="applications_application_transition",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        application = self.get_object(request, object_id)
        if application is not None:
            extra_context["transitions"] = [
                (name, TRANSITIONS[name])
                for name in available_transitions(application, request.user)
            ]
        return super().change_view(request, object_id, form_url, extra_context)

    def transition_view(self, request, pk, name):
        application = get_object_or_404(self.get_queryset(request), pk=pk)
        if name not in TRANSITIONS or not self.has_view_permission(request, application):
            raise PermissionDenied
        data = request.POST if request.method == "POST" else None
        form = TRANSITION_FORMS[name](data)
        referrals = (
            ReferralFormSet(data, form_kwargs={"application": application})
            if name == "decline"
            else None
        )
        change_url = reverse("admin:applications_application_change", args=[pk])
        if (
            request.method == "POST"
            and form.is_valid()
            and (referrals is None or referrals.is_valid())
        ):
            try:
                self._run(name, application, request.user, form.cleaned_data, referrals)
            except ValidationError as error:
                add_service_errors(form, error)
            except (PermissionDenied, InvalidTransition) as error:
                messages.error(request, str(error.args[0] if error.args else error))
                return redirect(change_url)
            else:
                messages.success(request, TRANSITIONS[name])
                return redirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": application,
            "title": f"{TRANSITIONS[name]}: {application}",
            "form": form,
            "referrals": referrals,
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/applications/application/transition.html", context)

    @staticmethod
    def _run(name, application, actor, data, referrals):
        note = data.get("note", "")
        if name == "request_changes":
            return services.application_request_changes(
                application=application, actor=actor, comment=data["comment"], note=note
            )
        if name == "award":
            return services.application_award(
                application=application, actor=actor, amount=data["amount"], note=note
            )
        if name == "decline":
            return services.application_decline(
                application=application,
                actor=actor,
                reason=data["reason"],
                advice=data["advice"],
                referrals=decline_referrals(referrals),
                note=note,
            )
        action = getattr(services, f"application_{name}")
        return action(application=application, actor=actor, note=note)

    @admin.action(description=TRANSITIONS["accept_step"])
    def accept_submitted_steps(self, request, queryset):
        for application in queryset:
            try:
                services.application_accept_step(application=application, actor=request.user)
            except (PermissionDenied, InvalidTransition) as error:
                messages.error(request, f"{application}: {error.args[0] if error.args else error}")
            else:
                messages.success(request, f"{application}: {TRANSITIONS['accept_step']}")
