"""Hours of a pool's service reserved for one application, and their delivery."""

from decimal import Decimal

import django_fsm as fsm
from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Sum, When
from django.utils.translation import gettext_lazy as _
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from pools import permissions

from .pool import EUROS, HOURS


# django-fsm permissions, so that ``get_available_user_state_transitions(user)`` agrees with
# ``pools.actions``. Looked up at call time: ``permissions`` may still be loading.
def _is_officer(allocation, user) -> bool:
    return permissions.allocation_officer_refusal(allocation, user) is None


def _by_itself(allocation, user) -> bool:
    """Confirming and completing follow the award and the last delivered hour: nobody's click."""
    return False


class AllocationQuerySet(models.QuerySet):
    def held_hours(self) -> Decimal:
        """Hours these allocations take from capacity.

        An active allocation holds all its hours; a closed or released one only what was
        delivered, because the rest went back to the pool.
        """
        total = self.aggregate(
            held=Sum(
                Case(
                    When(state__in=Allocation.ACTIVE_STATES, then=F("hours")),
                    default=F("delivered_hours"),
                )
            )
        )["held"]
        return total or Decimal("0")


class Allocation(fsm.ConcurrentTransitionMixin, models.Model):
    class State(models.TextChoices):
        RESERVED = "reserved", _("Reserved")
        CONFIRMED = "confirmed", _("Confirmed")
        DELIVERED = "delivered", _("Delivered")
        CLOSED = "closed", _("Closed")
        RELEASED = "released", _("Released")

    #: States whose allocated hours all count against capacity.
    ACTIVE_STATES = (State.RESERVED, State.CONFIRMED, State.DELIVERED)

    service = models.ForeignKey(
        "pools.PoolService", on_delete=models.PROTECT, related_name="allocations"
    )
    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="allocations"
    )
    provider = models.ForeignKey(
        "pools.Provider",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="allocations",
        verbose_name=_("provider"),
    )
    need = models.CharField(
        _("need"), max_length=200, help_text=_("The budget line this support covers.")
    )
    hours = models.DecimalField(_("hours"), **HOURS)
    delivered_hours = models.DecimalField(_("delivered hours"), default=Decimal("0"), **HOURS)
    state = fsm.FSMField(
        _("state"), choices=State.choices, default=State.RESERVED, protected=True, db_index=True
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AllocationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="allocation_hours_positive"),
            models.CheckConstraint(
                condition=Q(delivered_hours__lte=F("hours")),
                name="allocation_delivery_within_hours",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hours} h {self.service.service_type} → {self.application}"

    @property
    def remaining_hours(self) -> Decimal:
        return self.hours - self.delivered_hours

    @property
    def is_active(self) -> bool:
        return self.state in self.ACTIVE_STATES

    # Transitions change this row only; the services in pools.services lock, check and log.

    @fsm_log_by
    @fsm_log_description
    @fsm.transition(
        field=state, source=State.RESERVED, target=State.CONFIRMED, permission=_by_itself
    )
    def confirm(self, *, by=None, description=None):
        """The application was awarded: the support is promised."""

    @fsm_log_by
    @fsm_log_description
    @fsm.transition(
        field=state,
        source=State.CONFIRMED,
        target=State.DELIVERED,
        conditions=[lambda allocation: allocation.delivered_hours == allocation.hours],
        permission=_by_itself,
    )
    def complete(self, *, by=None, description=None):
        """Every allocated hour has been logged as delivered."""

    @fsm_log_by
    @fsm_log_description
    @fsm.transition(
        field=state,
        source=[State.CONFIRMED, State.DELIVERED],
        target=State.CLOSED,
        permission=_is_officer,
    )
    def close(self, *, by=None, description=None):
        """Done. Hours not delivered by now go back to the pool."""

    @fsm_log_by
    @fsm_log_description
    @fsm.transition(
        field=state,
        source=[State.RESERVED, State.CONFIRMED],
        target=State.RELEASED,
        permission=_is_officer,
    )
    def release(self, *, by=None, description=None):
        """Declined, withdrawn or cancelled: undelivered hours go back to the pool."""


class Delivery(models.Model):
    """A portion of an allocation that was delivered, logged by the provider or an officer."""

    allocation = models.ForeignKey(Allocation, on_delete=models.PROTECT, related_name="deliveries")
    delivered_on = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), **HOURS)
    note = models.CharField(_("what was done"), max_length=500)
    # The provider's rate when the hours were logged, so a later change of rate does not
    # rewrite the money value of past support.
    hourly_rate = models.DecimalField(_("hourly rate (€)"), null=True, blank=True, **EUROS)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    logged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["delivered_on", "pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="delivery_hours_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.delivered_on}: {self.hours} h"

    @property
    def value(self) -> Decimal | None:
        return None if self.hourly_rate is None else self.hours * self.hourly_rate
