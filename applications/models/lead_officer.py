"""Who was the fund's contact person for an application, and who changed it when."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LeadOfficerChange(models.Model):
    """One change of an application's lead officer: the log the application page shows the fund.

    Written only by ``applications.services.application_assign_lead_officer``, in the
    transaction that changes ``Application.lead_officer``. ``previous`` or ``new`` is empty when
    there was no lead officer before, or when it was cleared.
    """

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="lead_officer_changes"
    )
    previous = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("previous lead officer"),
    )
    new = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("new lead officer"),
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("change of lead officer")
        verbose_name_plural = _("changes of lead officer")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.previous_id} → {self.new_id}"
