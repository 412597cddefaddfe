"""The fund's side of an agreement: prepare it, read it, edit the draft, preview its text.

The actions on an agreement, its tranches and reports are in ``transitions``; the buttons on
these pages come from the same registries (``agreements.actions``). Every write goes through
``agreements.services``: ValidationError → errors at the fields, PermissionDenied → 403 with the
reason, InvalidTransition → a message and the latest state.
"""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from agreements import permissions, selectors, services
from agreements.actions import AGREEMENT_ACTIONS, TRANCHE_ACTIONS, offers
from agreements.forms import (
    ARRANGEMENT_EXPLANATIONS,
    AgreementForm,
    MarkPaidForm,
    NoteForm,
    PrepareForm,
    SendForm,
    SignatoryFormSet,
    TrancheFormSet,
    filled_forms,
    formset_rows,
)
from agreements.models import Agreement
from agreements.services.drafts import SIGNATORY_FIELDS
from agreements.signing import ask_countersign_refusal
from agreements.text import render_agreement_html
from core.exceptions import InvalidTransition
from core.web import add_service_errors

from .common import get_agreement, get_application, require

IN_PROGRESS = (Agreement.State.DRAFT, Agreement.State.OUT_FOR_SIGNATURE)


def _field_label(key: str) -> str:
    if key == "signatories":
        return _("Signatories")
    if key == "tranches":
        return _("Tranches")
    try:
        # capfirst, not capitalize: "IBAN" and "KvK number" keep their capitals.
        return capfirst(str(Agreement._meta.get_field(key).verbose_name))
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
    require(permissions.prepare_refusal(application, request.user))
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
    user = request.user
    is_officer = permissions.is_agreement_officer(agreement, user)
    is_member = permissions.is_agreement_member(agreement, user)
    tranches = (
        list(agreement.tranches.all())
        if agreement.state != Agreement.State.DRAFT or is_officer
        else []
    )
    for tranche in tranches:
        tranche.actions = offers(TRANCHE_ACTIONS, tranche, user)
        if "mark_paid" in tranche.actions:
            tranche.form = MarkPaidForm(prefix=f"tranche-{tranche.pk}")
    reports = agreement.reports.select_related("submitted_by")
    return render(
        request,
        "agreements/agreement_detail.html",
        {
            "agreement": agreement,
            "application": application,
            "actions": offers(AGREEMENT_ACTIONS, agreement, user),
            "is_officer": is_officer,
            "is_member": is_member,
            "checklist": checklist(agreement) if agreement.state == Agreement.State.DRAFT else [],
            **(send_context(agreement) if agreement.state == Agreement.State.DRAFT else {}),
            "signatories": agreement.signatories.all(),
            "waiting_for_countersigner": selectors.waits_for_countersigner(agreement),
            "can_ask_countersign": ask_countersign_refusal(agreement, user) is None,
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


def as_form_data(agreement: Agreement) -> dict:
    """The saved draft as form data, so a refused send can show its errors at the fields."""
    data = {}
    for name, value in _initial(agreement).items():
        data[name] = value.isoformat() if hasattr(value, "isoformat") else (value or "")
    return data


def send_context(agreement, send_form=None) -> dict:
    """The send form, with the questions the officer must confirm (``rules.sending_warnings``)."""
    warnings = services.sending_warnings(agreement)
    send_form = send_form or SendForm(prefix="send")
    if warnings:  # then the note is needed: the service refuses a send without it
        send_form.fields["note"].label = _("Note for the history")
        send_form.fields["note"].required = True
    return {
        "send_form": send_form,
        "warnings": [
            {"label": _field_label(key), "message": message} for key, message in warnings.items()
        ],
    }


def edit_page(request, agreement, form, signatories, tranches, status=200, send_form=None):
    return render(
        request,
        "agreements/agreement_edit.html",
        {
            "agreement": agreement,
            "application": agreement.application,
            "actions": offers(AGREEMENT_ACTIONS, agreement, request.user),
            "form": form,
            "signatories": signatories,
            "tranches": tranches,
            "checklist": checklist(agreement),
            "note_form": NoteForm(),
            **send_context(agreement, send_form),
        },
        status=status,
    )


def draft_formsets(agreement, data=None):
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


#: A service error about a part of the draft: ``signatories``, ``tranches[0].amount``.
PART_ERROR = re.compile(
    r"^(?P<part>signatories|tranches)(?:\[(?P<index>\d+)\](?:\.(?P<field>\w+))?)?$"
)


def add_draft_errors(error: ValidationError, form, signatories, tranches) -> None:
    """Put the save service's errors where they belong: ``iban`` at the field,
    ``signatories`` above the rows, ``signatories[1].email`` at that row's field."""
    formsets = {"signatories": signatories, "tranches": tranches}
    for key, messages_ in error.message_dict.items():
        match = PART_ERROR.match(key)
        if match is None:
            form.add_error(key if key in form.fields else None, messages_)
            continue
        formset = formsets[match["part"]]
        rows = filled_forms(formset)
        if match["index"] is None or int(match["index"]) >= len(rows):
            formset.non_form_errors().extend(messages_)
            continue
        row, field = rows[int(match["index"])], match["field"]
        row.add_error(field if field in row.fields else None, messages_)


@login_required
def agreement_edit(request, pk):
    agreement = get_agreement(request, pk)
    require(permissions.agreement_officer_refusal(agreement, request.user))
    if agreement.state != Agreement.State.DRAFT:
        messages.error(request, _("Only a draft can be changed."))
        return redirect("agreement_detail", pk=agreement.pk)
    data = request.POST if request.method == "POST" else None
    form = AgreementForm(data, agreement=agreement, initial=_initial(agreement))
    signatories, tranches = draft_formsets(agreement, data)
    if data is not None and form.is_valid() and signatories.is_valid() and tranches.is_valid():
        try:
            services.agreement_save_draft(
                agreement=agreement,
                actor=request.user,
                fields=form.cleaned_data,
                signatories=formset_rows(signatories),
                tranches=formset_rows(tranches),
            )
        except ValidationError as error:
            add_draft_errors(error, form, signatories, tranches)
        except InvalidTransition as error:
            messages.error(request, error.message)
            return redirect("agreement_detail", pk=agreement.pk)
        else:
            messages.success(request, _("The draft is saved."))
            return redirect("agreement_edit", pk=agreement.pk)
    return edit_page(request, agreement, form, signatories, tranches)


@login_required
def agreement_preview(request, pk):
    agreement = get_agreement(request, pk)
    require(permissions.agreement_officer_refusal(agreement, request.user))
    html = agreement.frozen_html or render_agreement_html(agreement)
    return render(
        request,
        "agreements/agreement_preview.html",
        {"agreement": agreement, "application": agreement.application, "agreement_html": html},
    )
