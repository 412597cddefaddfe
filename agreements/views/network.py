"""The network's side after signing: reporting what was done and what it cost."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from agreements import permissions, services
from agreements.actions import REPORT_ACTIONS, offers
from agreements.forms import ReportCommentForm, ReportForm, SpendingFormSet
from agreements.models import Agreement
from core.exceptions import InvalidTransition
from core.web import add_service_errors, error_message, run_action

from .common import get_agreement, get_report, require


def report_page(request, report, comment_form=None):
    """The report, and the buttons of what this person may do with it now."""
    application = report.agreement.application
    return render(
        request,
        "agreements/report_detail.html",
        {
            "report": report,
            "agreement": report.agreement,
            "application": application,
            "attachments": report.attachments.all(),
            "comments": report.comments.select_related("author"),
            "actions": offers(REPORT_ACTIONS, report, request.user),
            "comment_form": comment_form or ReportCommentForm(),
        },
    )


@login_required
def report_detail(request, pk):
    return report_page(request, get_report(request, pk))


def _spending(formset) -> list[dict]:
    """Kept lines (the initial ones) and new lines that were filled in."""
    lines = []
    for index, form in enumerate(formset.forms):
        is_new = index >= formset.initial_form_count()
        if (is_new and not form.has_changed()) or not form.cleaned_data:
            continue
        lines.append(
            {
                "description": form.cleaned_data["description"],
                "spent": str(form.cleaned_data["spent"]),
            }
        )
    return lines


def _report_form_page(request, agreement, form, spending, report=None):
    return render(
        request,
        "agreements/report_form.html",
        {
            "agreement": agreement,
            "application": agreement.application,
            "form": form,
            "spending": spending,
            "report": report,
        },
    )


@login_required
def report_create(request, pk):
    agreement = get_agreement(request, pk)
    require(permissions.agreement_member_refusal(agreement, request.user))
    if agreement.state != Agreement.State.EXECUTED:
        messages.error(request, _("Reports follow a signed agreement."))
        return redirect("agreement_detail", pk=agreement.pk)
    data = request.POST if request.method == "POST" else None
    form = ReportForm(data, request.FILES or None)
    spending = SpendingFormSet(data, prefix="spending")
    if data is not None and form.is_valid() and spending.is_valid():
        try:
            report = services.report_submit(
                agreement=agreement,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                what_was_done=form.cleaned_data["what_was_done"],
                spending=_spending(spending),
                attachments=form.cleaned_data["attachments"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            raise PermissionDenied(error_message(error)) from error
        except InvalidTransition as error:
            messages.error(request, error.message)
            return redirect("agreement_detail", pk=agreement.pk)
        else:
            messages.success(request, _("Your report is sent to the fund."))
            return redirect("report_detail", pk=report.pk)
    return _report_form_page(request, agreement, form, spending)


@login_required
def report_resubmit(request, pk):
    report = get_report(request, pk)
    agreement = report.agreement
    action = REPORT_ACTIONS.require_allowed("resubmit", report, request.user)
    if action.when(report) is not None:
        messages.error(request, _("This report is not waiting for changes."))
        return redirect("report_detail", pk=report.pk)
    data = request.POST if request.method == "POST" else None
    form = ReportForm(
        data,
        request.FILES or None,
        resubmit=True,
        initial={"what_was_done": report.what_was_done},
    )
    spending = SpendingFormSet(
        data,
        prefix="spending",
        initial=[
            {"description": line.get("description", ""), "spent": line.get("spent", "")}
            for line in report.spending
        ],
    )
    if data is not None and form.is_valid() and spending.is_valid():
        response = run_action(
            request,
            REPORT_ACTIONS,
            "resubmit",
            report,
            data={
                "what_was_done": form.cleaned_data["what_was_done"],
                "spending": _spending(spending),
                "attachments": form.cleaned_data["attachments"],
            },
            form=form,
            then=reverse("report_detail", args=[report.pk]),
        )
        if response is not None:
            return response
    return _report_form_page(request, agreement, form, spending, report=report)
