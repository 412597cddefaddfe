"""The network's side after signing: reporting what was done and what it cost."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from agreements import services
from agreements.forms import ReportCommentForm, ReportForm, SpendingFormSet
from agreements.models import Agreement, Report
from applications import permissions
from applications.forms import add_service_errors
from applications.selectors import application_list
from applications.views.common import error_message
from core.exceptions import InvalidTransition

from .contracts import get_agreement, require_member


def get_report(request, pk) -> Report:
    return get_object_or_404(
        Report.objects.filter(
            agreement__application__in=application_list(user=request.user)
        ).select_related(
            "agreement__application__network", "agreement__application__programme__fund"
        ),
        pk=pk,
    )


def report_page(request, report, comment_form=None):
    application = report.agreement.application
    is_officer = permissions.is_officer(application, request.user)
    is_member = permissions.member_refusal(application, request.user) is None
    return render(
        request,
        "agreements/report_detail.html",
        {
            "report": report,
            "agreement": report.agreement,
            "application": application,
            "attachments": report.attachments.all(),
            "comments": report.comments.select_related("author"),
            "is_officer": is_officer,
            "can_review": is_officer and report.state == Report.State.SUBMITTED,
            "can_resubmit": is_member and report.state == Report.State.CHANGES_REQUESTED,
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
    require_member(request, agreement.application)
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
    require_member(request, agreement.application)
    if report.state != Report.State.CHANGES_REQUESTED:
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
        try:
            services.report_resubmit(
                report=report,
                actor=request.user,
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
            return redirect("report_detail", pk=report.pk)
        else:
            messages.success(request, _("Your changed report is sent to the fund."))
            return redirect("report_detail", pk=report.pk)
    return _report_form_page(request, agreement, form, spending, report=report)
