from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from funds.questions import localized


class Step(models.Model):
    """One step of one application, with a copy of the questions it asked.

    The questions are copied from the programme when the application starts, so a programme
    that later edits its steps never changes what an application in progress was asked.
    """

    class Status(models.TextChoices):
        LOCKED = "locked", _("Not yet open")
        OPEN = "open", _("Open")
        SUBMITTED = "submitted", _("Submitted")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        ACCEPTED = "accepted", _("Accepted")

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="steps"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    key = models.SlugField(_("key"))
    title = models.JSONField(_("title"))
    intro = models.JSONField(_("introduction"), default=str, blank=True)
    questions = models.JSONField(_("questions"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.LOCKED
    )
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)

    class Meta:
        ordering = ["application", "order"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "order"], name="unique_application_step_order"
            ),
            models.UniqueConstraint(
                fields=["application", "key"], name="unique_application_step_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.display_title}"

    @property
    def display_title(self) -> str:
        return localized(self.title)

    @property
    def latest_revision(self):
        return self.revisions.order_by("-number").first()

    def question(self, key: str) -> dict | None:
        return next((q for q in self.questions if q["key"] == key), None)

    def mark(self, status: str) -> None:
        """Persist a new status; only the application's transitions call this."""
        self.status = status
        self.status_changed_at = timezone.now()
        self.save(update_fields=["status", "status_changed_at"])


class RevisionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Revisions are immutable: save a new revision instead.")

    def delete(self):
        raise TypeError("Revisions are immutable and cannot be deleted.")


class Revision(models.Model):
    """An immutable version of a step's answers. Every save of a draft adds one."""

    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("number"))
    content = models.JSONField(_("answers"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = RevisionQuerySet.as_manager()

    class Meta:
        ordering = ["step", "number"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        constraints = [
            models.UniqueConstraint(fields=["step", "number"], name="unique_revision_number"),
        ]

    def __str__(self) -> str:
        return f"{self.step} – v{self.number}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("Revisions are immutable: save a new revision instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Revisions are immutable and cannot be deleted.")


class StepSubmission(models.Model):
    """The revision a network submitted for review, each time it submitted the step."""

    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="submissions")
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        ordering = ["step", "submitted_at", "pk"]
        verbose_name = _("step submission")
        verbose_name_plural = _("step submissions")

    def __str__(self) -> str:
        return f"{self.step} – v{self.revision.number}"


class Comment(models.Model):
    """A remark on a step, optionally about one question; officers resolve them."""

    class AuthorRole(models.TextChoices):
        OFFICER = "officer", _("Fund")
        MEMBER = "member", _("Network")

    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="comments")
    question_key = models.CharField(_("question"), max_length=100, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_role = models.CharField(_("written for"), max_length=10, choices=AuthorRole.choices)
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["step", "created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return self.body[:60]

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None
