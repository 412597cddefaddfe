"""The buttons of the agreement and report pages: send, cancel, mark paid, accept, ask changes.

Each runs one action of ``agreements.actions`` (the registry the API uses too): a person who may
never do it gets a 403 with the reason, before any input is read; a state that does not allow it
gives a message and the latest page; bad input comes back at the fields.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agreements.actions import AGREEMENT_ACTIONS, REPORT_ACTIONS, TRANCHE_ACTIONS
from agreements.forms import AgreementForm, MarkPaidForm, NoteForm, ReportCommentForm
from agreements.models import Report
from applications.forms import add_service_errors
from core.exceptions import InvalidTransition

from .common import error_message, get_agreement, get_report, get_tranche
from .network import report_page
from .officer import as_form_data, draft_formsets, edit_page


def _note(request) -> str:
    form = NoteForm(request.POST)
    return form.cleaned_data["note"] if form.is_valid() else ""


@login_required
@require_POST
def agreement_send(request, pk):
    agreement = get_agreement(request, pk)
    action = AGREEMENT_ACTIONS.require_allowed("send", agreement, request.user)
    try:
        AGREEMENT_ACTIONS.run("send", agreement, actor=request.user, data={"note": _note(request)})
    except ValidationError as error:
        # Sent before everything was right: show the draft with the problems at the fields.
        form = AgreementForm(as_form_data(agreement), agreement=agreement)
        form.is_valid()
        add_service_errors(form, error)
        signatories, tranches = draft_formsets(agreement)
        messages.error(request, _("The agreement is not sent yet: check the fields marked."))
        return edit_page(request, agreement, form, signatories, tranches)
    except PermissionDenied as error:
        raise PermissionDenied(error_message(error)) from error
    except InvalidTransition as error:
        messages.error(request, error.message)
    else:
        messages.success(request, str(action.done))
    return redirect("agreement_detail", pk=agreement.pk)


@login_required
@require_POST
def agreement_cancel(request, pk):
    agreement = get_agreement(request, pk)
    action = AGREEMENT_ACTIONS.require_allowed("cancel", agreement, request.user)
    try:
        AGREEMENT_ACTIONS.run(
            "cancel", agreement, actor=request.user, data={"note": _note(request)}
        )
    except PermissionDenied as error:
        raise PermissionDenied(error_message(error)) from error
    except InvalidTransition as error:
        messages.error(request, error.message)
    else:
        messages.success(request, str(action.done))
    return redirect("agreement_detail", pk=agreement.pk)


@login_required
def tranche_mark_paid(request, agreement_pk, pk):
    agreement = get_agreement(request, agreement_pk)
    tranche = get_tranche(request, agreement, pk)
    # Four eyes on money is a rule about this person: a 403 that says so, as in the API.
    action = TRANCHE_ACTIONS.require_allowed("mark_paid", tranche, request.user)
    refusal = action.when(tranche)
    if refusal is not None:
        messages.error(request, refusal)
        return redirect("agreement_detail", pk=agreement.pk)
    form = MarkPaidForm(request.POST or None, prefix=f"tranche-{tranche.pk}")
    if request.method == "POST" and form.is_valid():
        try:
            TRANCHE_ACTIONS.run("mark_paid", tranche, actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            raise PermissionDenied(error_message(error)) from error
        except InvalidTransition as error:
            messages.error(request, error.message)
            return redirect("agreement_detail", pk=agreement.pk)
        else:
            messages.success(request, str(action.done) % {"n": tranche.number})
            return redirect("agreement_detail", pk=agreement.pk)
    return render(
        request,
        "agreements/tranche_paid.html",
        {
            "agreement": agreement,
            "application": agreement.application,
            "tranche": tranche,
            "form": form,
        },
    )


@login_required
@require_POST
def report_request_changes(request, pk):
    report = get_report(request, pk)
    action = REPORT_ACTIONS.require_allowed("request_changes", report, request.user)
    form = ReportCommentForm(request.POST)
    if form.is_valid():
        try:
            REPORT_ACTIONS.run(
                "request_changes", report, actor=request.user, data=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            raise PermissionDenied(error_message(error)) from error
        except InvalidTransition as error:
            messages.error(request, error.message)
            return redirect("report_detail", pk=report.pk)
        else:
            messages.success(request, str(action.done))
            return redirect("report_detail", pk=report.pk)
    return report_page(request, report, comment_form=form)


@login_required
@require_POST
def report_accept(request, pk):
    report = get_report(request, pk)
    action = REPORT_ACTIONS.require_allowed("accept", report, request.user)
    try:
        REPORT_ACTIONS.run("accept", report, actor=request.user)
    except PermissionDenied as error:
        raise PermissionDenied(error_message(error)) from error
    except InvalidTransition as error:
        messages.error(request, error.message)
    else:
        messages.success(request, str(action.done))
        if report.kind == Report.Kind.FINAL:
            return redirect("agreement_detail", pk=report.agreement_id)
    return redirect("report_detail", pk=report.pk)
