"""The fund's side of an agreement: prepare, edit the draft, send, cancel, pay, review reports.

Every write goes through ``agreements.services``. Errors are mapped as in the application
views: ValidationError → form errors, PermissionDenied → 403 (or a message where the refusal is
a rule about this person, such as four eyes on money), InvalidTransition → message + redirect.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agreements import services
from agreements.forms import (
    ARRANGEMENT_EXPLANATIONS,
    AgreementForm,
    MarkPaidForm,
    NoteForm,
    PrepareForm,
    ReportCommentForm,
    SignatoryFormSet,
    TrancheFormSet,
    formset_rows,
)
from agreements.models import Agreement, Report, Tranche
from agreements.text import render_agreement_html
from applications import permissions
from applications.forms import add_service_errors
from applications.views.common import error_message, get_application
from core.exceptions import InvalidTransition

from .contracts import get_agreement, require_officer
from .network import get_report, report_page

SIGNATORY_FIELDS = ("role", "name", "email", "date_of_birth", "address")
IN_PROGRESS = (Agreement.State.DRAFT, Agreement.State.OUT_FOR_SIGNATURE)


def _field_label(key: str) -> str:
    if key == "signatories":
        return _("Signatories")
    if key == "tranches":
        return _("Tranches")
    try:
        return str(Agreement._meta.get_field(key).verbose_name).capitalize()
    except Exception:  # noqa: BLE001 - an unknown key is shown as it is
        return key


def checklist(agreement: Agreement) -> list[dict]:
    """What must be right before the agreement can be sent, one line per problem."""
    return [
        {"label": _field_label(key), "message": message}
        for key, messages_ in services.sending_errors(agreement).items()
        for message in messages_
    ]


def proposed_arrangement(application) -> str | None:
    """What the network proposed in its Accountability step, if it is still on offer."""
    step = application.steps.filter(key="accountability").first()
    revision = step.latest_revision if step else None
    proposed = (revision.content if revision else {}).get("arrangement")
    return proposed if proposed in application.programme.accepted_arrangements else None


@login_required
def agreement_prepare(request, pk):
    application = get_application(request, pk)
    require_officer(request, application)
    # ?amends=<id>: a correction of an executed agreement is a new agreement that refers to it.
    amends = None
    if request.GET.get("amends", "").isdigit():
        amends = get_object_or_404(application.agreements, pk=int(request.GET["amends"]))
    proposed = (amends.arrangement if amends else None) or proposed_arrangement(application)
    form = PrepareForm(
        request.POST or None, programme=application.programme, initial={"arrangement": proposed}
    )
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.agreement_prepare(
                application=application,
                actor=request.user,
                arrangement=form.cleaned_data["arrangement"],
                amends=amends,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except InvalidTransition as error:
            messages.error(request, error.message)
            return redirect("application_detail", pk=application.pk)
        else:
            messages.success(request, _("A draft agreement is ready. Check it and fill it in."))
            return redirect("agreement_edit", pk=agreement.pk)
    return render(
        request,
        "agreements/prepare.html",
        {
            "application": application,
            "form": form,
            "explanations": ARRANGEMENT_EXPLANATIONS,
            "amends": amends,
            "proposed": proposed,
        },
    )


@login_required
def agreement_detail(request, pk):
    agreement = get_agreement(request, pk)
    application = agreement.application
    is_officer = permissions.is_officer(application, request.user)
    is_member = permissions.member_refusal(application, request.user) is None
    tranches = list(agreement.tranches.all())
    if is_officer:
        for tranche in tranches:
            if tranche.state == Tranche.State.DUE:
                tranche.form = MarkPaidForm(prefix=f"tranche-{tranche.pk}")
    reports = agreement.reports.select_related("submitted_by")
    return render(
        request,
        "agreements/agreement_detail.html",
        {
            "agreement": agreement,
            "application": application,
            "is_officer": is_officer,
            "is_member": is_member,
            "checklist": checklist(agreement) if agreement.state == Agreement.State.DRAFT else [],
            "signatories": agreement.signatories.all(),
            "tranches": tranches,
            "reports": reports,
            "can_report": is_member and agreement.state == Agreement.State.EXECUTED,
            "note_form": NoteForm(),
            "can_amend": is_officer
            and agreement.state == Agreement.State.EXECUTED
            and not application.agreements.filter(state__in=IN_PROGRESS).exists(),
        },
    )


def _initial(agreement: Agreement, form_class=AgreementForm) -> dict:
    form = form_class(agreement=agreement)
    return {name: getattr(agreement, name) for name in form.fields}


def _as_data(agreement: Agreement) -> dict:
    """The saved draft as form data, so a refused send can show its errors at the fields."""
    data = {}
    for name, value in _initial(agreement).items():
        data[name] = value.isoformat() if hasattr(value, "isoformat") else (value or "")
    return data


def _edit_page(request, agreement, form, signatories, tranches, status=200):
    return render(
        request,
        "agreements/agreement_edit.html",
        {
            "agreement": agreement,
            "application": agreement.application,
            "form": form,
            "signatories": signatories,
            "tranches": tranches,
            "checklist": checklist(agreement),
            "note_form": NoteForm(),
        },
        status=status,
    )


def _formsets(agreement, data=None):
    signatories = SignatoryFormSet(
        data,
        prefix="signatories",
        initial=[
            {name: getattr(s, name) for name in SIGNATORY_FIELDS}
            for s in agreement.signatories.all()
        ],
    )
    tranches = TrancheFormSet(
        data,
        prefix="tranches",
        initial=[{"amount": t.amount, "trigger": t.trigger} for t in agreement.tranches.all()],
    )
    return signatories, tranches


class _Refused(Exception):  # noqa: N818 - raised to roll the whole save back
    pass


@login_required
def agreement_edit(request, pk):
    agreement = get_agreement(request, pk)
    require_officer(request, agreement.application)
    if agreement.state != Agreement.State.DRAFT:
        messages.error(request, _("Only a draft can be changed."))
        return redirect("agreement_detail", pk=agreement.pk)
    data = request.POST if request.method == "POST" else None
    form = AgreementForm(data, agreement=agreement, initial=_initial(agreement))
    signatories, tranches = _formsets(agreement, data)
    if data is not None and form.is_valid() and signatories.is_valid() and tranches.is_valid():
        try:
            with transaction.atomic():
                errors = _save_draft(request, agreement, form, signatories, tranches)
                if errors:
                    raise _Refused
        except _Refused:
            pass
        except InvalidTransition as error:
            messages.error(request, error.message)
            return redirect("agreement_detail", pk=agreement.pk)
        else:
            messages.success(request, _("The draft is saved."))
            return redirect("agreement_edit", pk=agreement.pk)
    return _edit_page(request, agreement, form, signatories, tranches)


def _save_draft(request, agreement, form, signatories, tranches) -> bool:
    """Save the three parts; on a refusal put the errors on the form and return True."""
    actor = request.user
    try:
        services.agreement_update(agreement=agreement, actor=actor, **form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return True
    parts = (
        (services.agreement_set_signatories, "signatories", signatories, _("Signatories")),
        (services.agreement_set_tranches, "tranches", tranches, _("Tranches")),
    )
    for service, name, formset, label in parts:
        try:
            service(agreement=agreement, actor=actor, **{name: formset_rows(formset)})
        except ValidationError as error:
            form.add_error(None, [f"{label}: {message}" for message in error.messages])
            return True
    return False


@login_required
def agreement_preview(request, pk):
    agreement = get_agreement(request, pk)
    require_officer(request, agreement.application)
    html = agreement.frozen_html or render_agreement_html(agreement)
    return render(
        request,
        "agreements/agreement_preview.html",
        {"agreement": agreement, "application": agreement.application, "agreement_html": html},
    )


@login_required
@require_POST
def agreement_send(request, pk):
    agreement = get_agreement(request, pk)
    require_officer(request, agreement.application)
    note_form = NoteForm(request.POST)
    note = note_form.cleaned_data["note"] if note_form.is_valid() else ""
    try:
        services.agreement_send(agreement=agreement, actor=request.user, note=note)
    except ValidationError as error:
        form = AgreementForm(_as_data(agreement), agreement=agreement)
        form.is_valid()
        add_service_errors(form, error)
        signatories, tranches = _formsets(agreement)
        messages.error(request, _("The agreement is not sent yet: check the fields marked."))
        return _edit_page(request, agreement, form, signatories, tranches)
    except PermissionDenied as error:
        raise PermissionDenied(error_message(error)) from error
    except InvalidTransition as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The agreement is sent. Everyone who signs gets a personal link.")
        )
    return redirect("agreement_detail", pk=agreement.pk)


@login_required
@require_POST
def agreement_cancel(request, pk):
    agreement = get_agreement(request, pk)
    require_officer(request, agreement.application)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.agreement_cancel(agreement=agreement, actor=request.user, note=note)
    except PermissionDenied as error:
        raise PermissionDenied(error_message(error)) from error
    except InvalidTransition as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The agreement is cancelled. Its signing links stop working."))
    return redirect("agreement_detail", pk=agreement.pk)


@login_required
def tranche_mark_paid(request, agreement_pk, pk):
    agreement = get_agreement(request, agreement_pk)
    tranche = get_object_or_404(agreement.tranches, pk=pk)
    require_officer(request, agreement.application)
    form = MarkPaidForm(request.POST or None, prefix=f"tranche-{tranche.pk}")
    if request.method == "POST" and form.is_valid():
        try:
            services.tranche_mark_paid(
                tranche=tranche,
                actor=request.user,
                paid_on=form.cleaned_data["paid_on"],
                reference=form.cleaned_data["reference"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            # Four eyes on money: a rule about this person, said plainly on the agreement page.
            messages.error(request, error_message(error))
            return redirect("agreement_detail", pk=agreement.pk)
        except InvalidTransition as error:
            messages.error(request, error.message)
            return redirect("agreement_detail", pk=agreement.pk)
        else:
            messages.success(request, _("Tranche %(n)s is marked paid.") % {"n": tranche.number})
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
    require_officer(request, report.agreement.application)
    form = ReportCommentForm(request.POST)
    if form.is_valid():
        try:
            services.report_request_changes(
                report=report, actor=request.user, comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            raise PermissionDenied(error_message(error)) from error
        except InvalidTransition as error:
            messages.error(request, error.message)
            return redirect("report_detail", pk=report.pk)
        else:
            messages.success(request, _("The network is asked to change the report."))
            return redirect("report_detail", pk=report.pk)
    return report_page(request, report, comment_form=form)


@login_required
@require_POST
def report_accept(request, pk):
    report = get_report(request, pk)
    require_officer(request, report.agreement.application)
    try:
        services.report_accept(report=report, actor=request.user)
    except PermissionDenied as error:
        raise PermissionDenied(error_message(error)) from error
    except InvalidTransition as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The report is accepted."))
        if report.kind == Report.Kind.FINAL:
            return redirect("agreement_detail", pk=report.agreement_id)
    return redirect("report_detail", pk=report.pk)
