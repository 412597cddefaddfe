"""The buttons of the agreement and report pages: send, cancel, mark paid, accept, ask changes.

Each runs one action of ``agreements.actions`` (the registry the API uses too): a person who may
never do it gets a 403 with the reason, before any input is read; a state that does not allow it
gives a message and the latest page; bad input comes back at the fields.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agreements import services
from agreements.actions import AGREEMENT_ACTIONS, REPORT_ACTIONS, TRANCHE_ACTIONS
from agreements.forms import AgreementForm, MarkPaidForm, NoteForm, ReportCommentForm, SendForm
from agreements.models import Report
from core.exceptions import InvalidTransition
from core.web import add_service_errors, error_message, run_action

from .common import get_agreement, get_report, get_tranche
from .network import report_page
from .officer import as_form_data, draft_formsets, edit_page


def _note(request) -> str:
    form = NoteForm(request.POST)
    return form.cleaned_data["note"] if form.is_valid() else ""


def _agreement_url(agreement_pk) -> str:
    return reverse("agreement_detail", args=[agreement_pk])


def _report_url(report_pk) -> str:
    return reverse("report_detail", args=[report_pk])


def _agreement_action(request, agreement, name: str, data=None):
    """Send or cancel with the note posted; a person who may not is refused before it is read."""
    AGREEMENT_ACTIONS.require_allowed(name, agreement, request.user)
    return run_action(
        request,
        AGREEMENT_ACTIONS,
        name,
        agreement,
        data=data if data is not None else {"note": _note(request)},
        then=_agreement_url(agreement.pk),
    )


@login_required
@require_POST
def agreement_send(request, pk):
    agreement = get_agreement(request, pk)
    send_form = SendForm(request.POST, prefix="send")
    send_form.is_valid()
    data = {
        "note": send_form.cleaned_data.get("note", ""),
        "confirmed": bool(send_form.cleaned_data.get("confirmed")),
    }
    try:
        return _agreement_action(request, agreement, "send", data)
    except ValidationError as error:
        # Sent before everything was right: show the draft with the problems at the fields,
        # and what is still to confirm at the send form.
        form = AgreementForm(as_form_data(agreement), agreement=agreement)
        form.is_valid()
        confirm = {k: v for k, v in error.message_dict.items() if k in ("confirmed", "note")}
        rest = {k: v for k, v in error.message_dict.items() if k not in confirm}
        if rest:
            add_service_errors(form, ValidationError(rest))
        for field, found in confirm.items():
            send_form.add_error(field, found)
        signatories, tranches = draft_formsets(agreement)
        messages.error(request, _("The agreement is not sent yet: check the fields marked."))
        return edit_page(request, agreement, form, signatories, tranches, send_form=send_form)


@login_required
@require_POST
def agreement_ask_countersign(request, pk):
    """The network has signed and a manager who may countersign has joined since: ask them."""
    agreement = get_agreement(request, pk)
    try:
        services.agreement_request_countersignature(agreement=agreement, actor=request.user)
    except PermissionDenied as error:
        raise PermissionDenied(error_message(error)) from error
    except InvalidTransition as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("A manager of the fund is asked to countersign."))
    return redirect(_agreement_url(agreement.pk))


@login_required
@require_POST
def agreement_cancel(request, pk):
    return _agreement_action(request, get_agreement(request, pk), "cancel")


@login_required
def tranche_mark_paid(request, agreement_pk, pk):
    agreement = get_agreement(request, agreement_pk)
    tranche = get_tranche(request, agreement, pk)
    # Four eyes on money is a rule about this person: a 403 that says so, as in the API.
    action = TRANCHE_ACTIONS.require_allowed("mark_paid", tranche, request.user)
    back = _agreement_url(agreement.pk)
    refusal = action.when(tranche)
    if refusal is not None:
        messages.error(request, refusal)
        return redirect(back)
    form = MarkPaidForm(request.POST or None, prefix=f"tranche-{tranche.pk}")
    if request.method == "POST" and form.is_valid():
        response = run_action(
            request,
            TRANCHE_ACTIONS,
            "mark_paid",
            tranche,
            form=form,
            then=back,
            done=str(action.done) % {"n": tranche.number},
        )
        if response is not None:
            return response
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
    REPORT_ACTIONS.require_allowed("request_changes", report, request.user)
    form = ReportCommentForm(request.POST)
    if form.is_valid():
        response = run_action(
            request,
            REPORT_ACTIONS,
            "request_changes",
            report,
            form=form,
            then=_report_url(report.pk),
        )
        if response is not None:
            return response
    return report_page(request, report, comment_form=form)


@login_required
@require_POST
def report_accept(request, pk):
    report = get_report(request, pk)
    # An accepted final report closes the reporting: the agreement's page shows what follows.
    final = report.kind == Report.Kind.FINAL
    return run_action(
        request,
        REPORT_ACTIONS,
        "accept",
        report,
        then=_agreement_url(report.agreement_id) if final else _report_url(report.pk),
        conflict=_report_url(report.pk),
    )
