"""Payments of an award in tranches."""

import django_fsm as fsm
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from agreements import permissions

from .agreement import by_the_system


# Looked up at call time, as in applications' models, so the order of imports cannot matter.
def _may_mark_paid(tranche, user) -> bool:
    return permissions.mark_paid_refusal(tranche, user) is None


class Tranche(fsm.ConcurrentTransitionMixin, models.Model):
    """One payment of the award: due on signing, or after the final report is accepted."""

    class State(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DUE = "due", _("Due")
        PAID = "paid", _("Paid")

    class Trigger(models.TextChoices):
        ON_SIGNING = "on_signing", _("When the agreement is signed")
        FINAL_REPORT = "final_report", _("When the final report is accepted")

    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.CASCADE, related_name="tranches"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    trigger = models.CharField(_("becomes due"), max_length=20, choices=Trigger.choices)
    state = fsm.FSMField(
        _("state"), choices=State.choices, default=State.PLANNED, protected=True, db_index=True
    )
    due_at = models.DateTimeField(_("due since"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=100, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["agreement", "number"]
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="unique_tranche_number"),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="tranche_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}: € {self.amount} ({self.get_state_display()})"

    @fsm_log_by
    @fsm_log_description
    @fsm.transition(field=state, source=State.PLANNED, target=State.DUE, permission=by_the_system)
    def make_due(self, *, by=None, description=None):
        self.due_at = timezone.now()

    @fsm_log_by
    @fsm_log_description
    @fsm.transition(field=state, source=State.DUE, target=State.PAID, permission=_may_mark_paid)
    def mark_paid(self, *, paid_on, reference: str, by=None, description=None):
        self.paid_on = paid_on
        self.payment_reference = reference
        self.paid_by = by
