"""What the network does next once there is an agreement: sign it, then report.

Registered with ``applications.tasks.register`` from ``AgreementsConfig.ready()``: the application
page's task list asks it first, and falls back to the application's own answer when this says
nothing (no agreement yet, or every report accepted).
"""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from applications.models import Application
from applications.tasks import Task

from . import permissions
from .models import Agreement, Report, Signatory
from .selectors import agreement_list

OWN_STATES = (Application.State.AWARDED, Application.State.CONTRACTED)
LIVE = (Agreement.State.OUT_FOR_SIGNATURE, Agreement.State.EXECUTED)


def _signing_task(agreement: Agreement, user) -> Task:
    network_side = [s for s in agreement.signatories.all() if s.role != Signatory.Role.FUND]
    url, link = reverse("agreement_detail", args=[agreement.pk]), _("Read the agreement")
    email = (user.email or "").casefold()
    if any(not s.signed_at and s.email.casefold() == email for s in network_side):
        return Task(
            _(
                "Sign the agreement: open the personal link we sent to %(email)s. Everyone who "
                "signs gets a link of their own."
            )
            % {"email": user.email},
            url,
            link,
        )
    signed = sum(1 for s in network_side if s.signed_at)
    if signed < len(network_side):
        text = _("Wait for the signatures: %(signed)s of %(total)s have signed the agreement.")
        return Task(text % {"signed": signed, "total": len(network_side)}, url, link, kind="wait")
    return Task(_("Wait for the fund: a manager signs the agreement last."), url, link, "wait")


def _report_task(agreement: Agreement) -> Task | None:
    reports = {report.kind: report for report in agreement.reports.order_by("submitted_at")}
    for report in reports.values():
        if report.state == Report.State.CHANGES_REQUESTED:
            return Task(
                _("The fund asked for changes to your report. Change it and send it again."),
                reverse("report_detail", args=[report.pk]),
                _("Open the report"),
            )
    due = (
        [(Report.Kind.PROGRESS, agreement.progress_report_due)]
        if (agreement.progress_report_due)
        else []
    )
    due.append((Report.Kind.FINAL, agreement.final_report_due))
    for kind, day in due:
        if kind not in reports:
            text = {
                Report.Kind.PROGRESS: _("Send your progress report by %(date)s."),
                Report.Kind.FINAL: _("Send your final report by %(date)s."),
            }[kind]
            return Task(
                text % {"date": date_format(day, "j F Y")},
                reverse("report_create", args=[agreement.pk]),
                _("Write the report"),
            )
    if any(report.state == Report.State.SUBMITTED for report in reports.values()):
        return Task(_("Wait for the fund: it is reading your report."), kind="wait")
    return None


def network_task(application: Application, user) -> Task | None:
    if application.state not in OWN_STATES:
        return None
    agreement = (
        agreement_list(user)
        .filter(application=application, state__in=LIVE)
        .prefetch_related("signatories")
        .order_by("-created_at")
        .first()
    )
    if agreement is None or permissions.agreement_member_refusal(agreement, user) is not None:
        return None
    if agreement.state == Agreement.State.OUT_FOR_SIGNATURE:
        return _signing_task(agreement, user)
    return _report_task(agreement)
