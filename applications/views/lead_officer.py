"""The fund chooses its contact person for an application, from a form on the application page
(``applications.lead_officers.page_context``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications import lead_officers, permissions, services
from applications.forms import LeadOfficerForm
from applications.pages import get_application
from applications.views.applications import application_page
from core.web import add_service_errors, error_message


@login_required
@require_POST
def lead_officer_assign(request, pk):
    """Refusals answer as the actions do: 403 with the reason for who may not, the reason at the
    field for a person who cannot lead this application."""
    application = get_application(request, pk)
    refusal = permissions.officer_refusal(application, request.user)
    if refusal is not None:
        raise PermissionDenied(refusal)
    form = LeadOfficerForm(request.POST, candidates=lead_officers.candidates(application))
    if form.is_valid():
        officer = form.cleaned_data["officer"]
        try:
            services.application_assign_lead_officer(
                application=application, officer=officer, actor=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            raise PermissionDenied(error_message(error)) from error
        else:
            if officer is None:
                messages.success(request, _("This application has no lead officer now."))
            else:
                messages.success(
                    request,
                    _("%(name)s is now the lead officer of this application.")
                    % {"name": lead_officers.display_name(officer)},
                )
            return redirect(reverse("application_detail", args=[application.pk]) + "#lead-officer")
    return application_page(request, application, lead_officer_form=form, status=400)
