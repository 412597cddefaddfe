"""Admin for networks and applications.

Transitions are offered as buttons on the application page from ``APPLICATION_ACTIONS``, and run
through it like the web and the API (not django-fsm's FSMAdminMixin, which would skip the row
lock, the log and the notifications).
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django_fsm_log.admin import StateLogInline

from core.admin import FundScopedAdmin, ScopedChoices
from core.exceptions import InvalidTransition
from core.web import add_service_errors, error_message

from .actions import APPLICATION_ACTIONS, action_data
from .forms import AwardForm, DeclineForm, NoteForm, ReferralFormSet, decline_referrals
from .models import Application, Network, NetworkMember, Referral, Step
from .pages import posted_step
from .selectors import application_list, visible_networks
from .step_forms import StepRequestChangesForm

#: The input each action takes, as admin forms; which action runs is the registry's.
TRANSITION_FORMS = {
    "request_changes": StepRequestChangesForm,
    "award": AwardForm,
    "decline": DeclineForm,
}


class NetworkMemberInline(ScopedChoices, admin.TabularInline):
    model = NetworkMember
    extra = 0
    autocomplete_fields = ["user"]

    def has_add_permission(self, request, obj=None):
        return False  # people join a network by accepting an invitation, never by being added


@admin.register(Network)
class NetworkAdmin(FundScopedAdmin):
    list_display = ["name", "area", "legal_status", "kvk_number"]
    list_filter = ["legal_status"]
    search_fields = ["name", "area", "kvk_number"]
    inlines = [NetworkMemberInline]

    def visible_to(self, user):
        # The person's own networks, and those that applied to a fund they work for.
        return visible_networks(user)


class StepInline(ScopedChoices, admin.TabularInline):
    model = Step
    fields = ["order", "display_title", "status", "status_changed_at"]
    readonly_fields = fields
    can_delete = False
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False


class ReferralInline(ScopedChoices, admin.TabularInline):
    model = Referral
    fields = ["programme", "organisation", "contact_name", "phone", "email", "note"]
    readonly_fields = fields
    can_delete = False
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(FundScopedAdmin):
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

    def visible_to(self, user):
        # Fund staff see their own funds' applications only, as everywhere else.
        return application_list(user=user)

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
            # The same offers as the application page and the API, for this person now.
            extra_context["transitions"] = APPLICATION_ACTIONS.available(application, request.user)
        return super().change_view(request, object_id, form_url, extra_context)

    def transition_view(self, request, pk, name):
        application = get_object_or_404(self.get_queryset(request), pk=pk)
        if name not in APPLICATION_ACTIONS or not self.has_view_permission(request, application):
            raise PermissionDenied
        action = APPLICATION_ACTIONS.get(name)
        change_url = reverse("admin:applications_application_change", args=[pk])
        try:
            APPLICATION_ACTIONS.require_allowed(name, application, request.user)
        except PermissionDenied as error:
            messages.error(request, error_message(error))
            return redirect(change_url)
        data = request.POST if request.method == "POST" else None
        form = TRANSITION_FORMS.get(name, NoteForm)(data)
        referrals = (
            ReferralFormSet(data, form_kwargs={"application": application})
            if name == "decline"
            else None
        )
        # The step the change page showed: an action on a step no longer current is refused.
        step = posted_step(request, application) if "step" in action.fields else None
        if (
            request.method == "POST"
            and form.is_valid()
            and (referrals is None or referrals.is_valid())
        ):
            values = {**form.cleaned_data, "step": step}
            if referrals is not None:
                values["referrals"] = decline_referrals(referrals)
            try:
                APPLICATION_ACTIONS.run(
                    name, application, actor=request.user, data=action_data(name, values)
                )
            except ValidationError as error:
                add_service_errors(form, error)
            except (PermissionDenied, InvalidTransition) as error:
                messages.error(request, error_message(error))
                return redirect(change_url)
            else:
                messages.success(request, action.done)
                return redirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": application,
            "title": f"{action.label}: {application}",
            "form": form,
            "referrals": referrals,
            "step": step,
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/applications/application/transition.html", context)

    @admin.action(description=APPLICATION_ACTIONS.get("accept_step").label)
    def accept_submitted_steps(self, request, queryset):
        action = APPLICATION_ACTIONS.get("accept_step")
        for application in queryset:
            try:
                APPLICATION_ACTIONS.run(
                    "accept_step",
                    application,
                    actor=request.user,
                    data={"step": application.current_step},
                )
            except (PermissionDenied, InvalidTransition) as error:
                messages.error(request, f"{application}: {error_message(error)}")
            else:
                messages.success(request, f"{application}: {action.done}")
