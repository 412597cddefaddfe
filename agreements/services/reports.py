"""Reports: the network says what was done and what it cost; the officer accepts or asks more."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from agreements import notifications, permissions
from agreements.models import Agreement, Report, ReportAttachment, ReportComment, Tranche
from agreements.uploads import check_upload
from applications.services.base import require
from core.events import record_event
from core.exceptions import InvalidTransition
from funds.questions import normalise_amount

from .base import lock_agreement, run
from .payments import close_if_complete


def _clean_spending(lines) -> list[dict]:
    cleaned = []
    for number, line in enumerate(lines or [], start=1):
        try:
            spent = Decimal(normalise_amount(str(line.get("spent", ""))))
            if not spent.is_finite() or spent < 0:
                raise ArithmeticError
        except (ArithmeticError, AttributeError):
            raise ValidationError(
                {"spending": [_("Line %(n)s: enter what was spent in euros.") % {"n": number}]}
            ) from None
        cleaned.append(
            {
                "description": str(line.get("description", ""))[:200],
                "spent": str(spent.quantize(Decimal("0.01"))),
            }
        )
    return cleaned


def _attach(report: Report, attachments) -> None:
    checked, errors = [], []
    for upload in attachments or []:
        try:
            checked.append((upload, check_upload(upload)))
        except ValidationError as error:
            errors += error.messages
    if errors:
        raise ValidationError({"attachments": errors})
    for upload, facts in checked:
        ReportAttachment.objects.create(
            report=report, file=upload, original_name=upload.name[:255], **facts
        )


@transaction.atomic
def report_submit(
    *, agreement: Agreement, actor, kind: str, what_was_done: str, spending=(), attachments=()
) -> Report:
    agreement = lock_agreement(agreement)
    require(permissions.agreement_member_refusal(agreement, actor))
    if agreement.state != Agreement.State.EXECUTED:
        raise InvalidTransition(_("Reports follow a signed agreement."))
    if kind not in Report.Kind.values:
        raise ValidationError({"kind": _("Choose a progress or a final report.")})
    if agreement.reports.filter(kind=kind).exclude(state=Report.State.ACCEPTED).exists():
        raise InvalidTransition(_("A report of this kind is already waiting for the fund."))
    if (
        kind == Report.Kind.FINAL
        and agreement.reports.filter(kind=kind, state=Report.State.ACCEPTED).exists()
    ):
        raise InvalidTransition(_("The final report is already accepted."))
    if not (what_was_done or "").strip():
        raise ValidationError({"what_was_done": _("Tell what was done.")})
    report = Report.objects.create(
        agreement=agreement,
        kind=kind,
        what_was_done=what_was_done.strip(),
        spending=_clean_spending(spending),
        submitted_by=actor,
    )
    _attach(report, attachments)
    record_event("report.submitted", subject=report)
    notifications.report_submitted(report, actor=actor)
    return report


@transaction.atomic
def report_resubmit(
    *, report: Report, actor, what_was_done: str | None = None, spending=None, attachments=()
) -> Report:
    """The changed report; left out (``None``), the text or the spending lines stay as they are."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    require(permissions.report_resubmit_refusal(report, actor))
    if what_was_done is not None:
        if not what_was_done.strip():
            raise ValidationError({"what_was_done": _("Tell what was done.")})
        report.what_was_done = what_was_done.strip()
    if spending is not None:
        report.spending = _clean_spending(spending)
    run(report, "resubmit", actor=actor)
    _attach(report, attachments)
    notifications.report_submitted(report, actor=actor, resubmitted=True)
    return report


@transaction.atomic
def report_request_changes(*, report: Report, actor, comment: str) -> Report:
    report = Report.objects.select_for_update().get(pk=report.pk)
    require(permissions.report_review_refusal(report, actor))
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Say what the network should change.")})
    ReportComment.objects.create(
        report=report, author=actor, author_role="officer", body=comment.strip()
    )
    run(report, "request_changes", actor=actor)
    notifications.report_changes_requested(report, actor=actor, comment=comment)
    return report


@transaction.atomic
def report_accept(*, report: Report, actor) -> Report:
    agreement = lock_agreement(report.agreement)
    report = Report.objects.select_for_update().get(pk=report.pk)
    report.agreement = agreement
    require(permissions.report_review_refusal(report, actor))
    run(report, "accept", actor=actor)
    if report.kind == Report.Kind.FINAL:
        for tranche in agreement.tranches.filter(
            trigger=Tranche.Trigger.FINAL_REPORT, state=Tranche.State.PLANNED
        ):
            run(tranche, "make_due", actor=actor)
            notifications.tranche_due(tranche)
        close_if_complete(agreement, actor=actor)
    notifications.report_accepted(report, actor=actor)
    return report
