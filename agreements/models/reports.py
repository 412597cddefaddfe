"""What the network reports back: what was done and what it cost, with attachments."""

import django_fsm as fsm
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from agreements import permissions


# Looked up at call time, as in applications' models, so the order of imports cannot matter.
def _may_review(report, user) -> bool:
    return permissions.report_review_refusal(report, user) is None


def _may_resubmit(report, user) -> bool:
    return permissions.report_resubmit_refusal(report, user) is None


class Report(fsm.ConcurrentTransitionMixin, models.Model):
    class Kind(models.TextChoices):
        PROGRESS = "progress", _("Progress report")
        FINAL = "final", _("Final report")

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        ACCEPTED = "accepted", _("Accepted")

    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.PROTECT, related_name="reports"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    what_was_done = models.TextField(_("what was done"))
    # Spending against the agreement's budget lines: [{"description", "planned", "spent"}].
    spending = models.JSONField(_("spending"), default=list, blank=True)
    state = fsm.FSMField(
        _("state"), choices=State.choices, default=State.SUBMITTED, protected=True, db_index=True
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    class Meta:
        ordering = ["agreement", "submitted_at", "pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.agreement.application}"

    @fsm_log_by
    @fsm_log_description
    @fsm.transition(
        field=state,
        source=State.SUBMITTED,
        target=State.CHANGES_REQUESTED,
        permission=_may_review,
    )
    def request_changes(self, *, by=None, description=None):
        """The officer's comments say what to change."""

    @fsm_log_by
    @fsm_log_description
    @fsm.transition(
        field=state,
        source=State.CHANGES_REQUESTED,
        target=State.SUBMITTED,
        permission=_may_resubmit,
    )
    def resubmit(self, *, by=None, description=None):
        self.submitted_at = timezone.now()

    @fsm_log_by
    @fsm_log_description
    @fsm.transition(
        field=state, source=State.SUBMITTED, target=State.ACCEPTED, permission=_may_review
    )
    def accept(self, *, by=None, description=None):
        self.accepted_at = timezone.now()


class ReportAttachment(models.Model):
    """A receipt or photo: PDF, JPEG or PNG up to 10 MB, its type checked by its content."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="reports/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["report", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class ReportComment(models.Model):
    """A remark on a report, as on a step: officers say what to change, the network answers."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_role = models.CharField(_("written for"), max_length=10)
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["report", "created_at", "pk"]
        verbose_name = _("report comment")
        verbose_name_plural = _("report comments")

    def __str__(self) -> str:
        return self.body[:60]
