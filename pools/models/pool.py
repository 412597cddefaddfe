"""Support that funds pool together: service types with hours of capacity, and who delivers them.

"Don't think in money: look at what you need the money for and ask for that." A pool lets funds
give secretarial, bookkeeping or logistics hours instead of (or beside) a grant.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

HOURS = {"max_digits": 8, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}
EUROS = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


class ServiceType(models.Model):
    """A kind of support a pool can offer; the list is kept in the admin."""

    code = models.SlugField(
        _("code"), unique=True, help_text=_("Used in budget lines and the API.")
    )
    name = models.CharField(_("name (Dutch)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("service type")
        verbose_name_plural = _("service types")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.name_en if (get_language() or "nl")[:2] == "en" else self.name


class SupportPoolQuerySet(models.QuerySet):
    def open_on(self, day=None):
        day = day or timezone.localdate()
        return self.filter(starts_on__lte=day, ends_on__gte=day)

    def for_fund(self, fund):
        return self.filter(contributions__fund=fund)


class SupportPool(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("period starts"))
    ends_on = models.DateField(_("period ends"))
    contact_name = models.CharField(_("coordinator"), max_length=200, blank=True)
    contact_email = models.EmailField(_("coordinator's e-mail"), blank=True)
    funds = models.ManyToManyField(
        "funds.Fund", through="pools.Contribution", related_name="support_pools"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SupportPoolQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("support pool")
        verbose_name_plural = _("support pools")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="pool_period_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The period must end after it starts.")})

    def is_open(self, day=None) -> bool:
        day = day or timezone.localdate()
        return self.starts_on <= day <= self.ends_on


class Contribution(models.Model):
    """What one fund puts into a pool for its period: hours, euros, or both."""

    pool = models.ForeignKey(SupportPool, on_delete=models.CASCADE, related_name="contributions")
    fund = models.ForeignKey(
        "funds.Fund", on_delete=models.PROTECT, related_name="pool_contributions"
    )
    hours = models.DecimalField(_("hours"), default=Decimal("0"), **HOURS)
    euros = models.DecimalField(_("euros"), default=Decimal("0"), **EUROS)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["pool", "fund__name"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        constraints = [
            models.UniqueConstraint(fields=["pool", "fund"], name="one_contribution_per_fund"),
            models.CheckConstraint(
                condition=models.Q(hours__gt=0) | models.Q(euros__gt=0),
                name="contribution_not_empty",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fund} → {self.pool}"

    def clean(self) -> None:
        if not (self.hours or self.euros):
            raise ValidationError(_("A contribution gives hours, euros or both."))


class PoolService(models.Model):
    """A service type a pool offers, with the hours it can give in the pool's period.

    Its row is the lock every allocation of this service takes, so that two officers
    reserving at the same moment can never book more than the capacity together.
    """

    pool = models.ForeignKey(SupportPool, on_delete=models.CASCADE, related_name="services")
    service_type = models.ForeignKey(ServiceType, on_delete=models.PROTECT, related_name="+")
    capacity_hours = models.DecimalField(_("capacity (hours)"), **HOURS)

    class Meta:
        ordering = ["pool", "service_type__order", "service_type__code"]
        verbose_name = _("service offered")
        verbose_name_plural = _("services offered")
        constraints = [
            models.UniqueConstraint(
                fields=["pool", "service_type"], name="one_capacity_per_service_type"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_type} ({self.pool})"


class Provider(models.Model):
    """A person or organisation that delivers one service type for a pool."""

    pool = models.ForeignKey(SupportPool, on_delete=models.CASCADE, related_name="providers")
    service_type = models.ForeignKey(ServiceType, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="provider_roles",
        verbose_name=_("user account"),
        help_text=_("With an account the provider logs delivered hours themselves."),
    )
    hourly_rate = models.DecimalField(
        _("hourly rate (€)"),
        null=True,
        blank=True,
        help_text=_("Optional. Used only to show the money value of support, never as a grant."),
        **EUROS,
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["pool", "name"]
        verbose_name = _("provider")
        verbose_name_plural = _("providers")

    def __str__(self) -> str:
        return " – ".join(filter(None, [self.name, self.organisation]))
