from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from funds.arrangements import INFORMAL_ARRANGEMENTS, Arrangement
from funds.default_steps import DEFAULT_STEPS

from .questions import validate_step_questions


class Theme(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.name


class Fund(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    description = models.TextField(_("description"), blank=True)
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="funds"
    )
    region = models.CharField(
        _("region"),
        max_length=100,
        blank=True,
        help_text=_("Municipality, province or 'national'."),
    )
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    website = models.URLField(_("website"), blank=True)
    four_eyes_on_payments = models.BooleanField(
        _("four eyes on payments"),
        default=True,
        help_text=_(
            "The person who marks a tranche paid may not be the one who awarded the grant or "
            "prepared the agreement."
        ),
    )
    manager_keys_need_approval = models.BooleanField(
        _("manager keys need a second manager"),
        default=False,
        help_text=_(
            "An API key that acts as a fund manager works only after another manager than the "
            "one who created or changed it has approved it."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("fund")
        verbose_name_plural = _("funds")

    def __str__(self) -> str:
        return self.name


class FundMembership(models.Model):
    """A person's role at one fund. Roles are per relationship, never per person."""

    class Role(models.TextChoices):
        OFFICER = "officer", _("Fund officer")
        MANAGER = "manager", _("Fund manager")

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="fund_memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.OFFICER)
    phone = models.CharField(
        _("work phone"),
        max_length=30,
        blank=True,
        help_text=_(
            "Shown to the networks of the applications you lead as their contact person. "
            "Without it they see your e-mail address."
        ),
    )

    class Meta:
        verbose_name = _("fund membership")
        verbose_name_plural = _("fund memberships")
        constraints = [
            models.UniqueConstraint(fields=["fund", "user"], name="unique_fund_membership"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.fund}"


class ProgrammeQuerySet(models.QuerySet):
    def open_on(self, day=None):
        day = day or timezone.localdate()
        return self.filter(opens_on__lte=day, closes_on__gte=day)


class Programme(models.Model):
    """A fund's call for applications, with its own steps and accepted arrangements."""

    class Currency(models.TextChoices):
        EUR = "EUR", "EUR"

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="programmes")
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    description = models.TextField(_("description"), blank=True)
    budget = models.DecimalField(
        _("total budget"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    max_amount = models.DecimalField(
        _("maximum amount per application"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.EUR
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    accepts_legal_entity = models.BooleanField(_("accepts a legal entity"), default=True)
    accepts_cooperation_agreement = models.BooleanField(
        _("accepts a cooperation agreement"), default=False
    )
    accepts_host_organisation = models.BooleanField(_("accepts a host organisation"), default=False)
    accepts_support_only = models.BooleanField(_("accepts support only"), default=False)
    min_signatories = models.PositiveSmallIntegerField(
        _("signatories of a cooperation agreement"),
        default=2,
        validators=[MinValueValidator(1)],
        help_text=_("How many named members must sign a cooperation agreement."),
    )
    signatories_distinct_addresses = models.BooleanField(
        _("signatories live at different addresses"), default=False
    )
    signatories_min_age = models.PositiveSmallIntegerField(
        _("minimum age of signatories"), null=True, blank=True
    )
    provinces = models.ManyToManyField(
        "core.Province",
        verbose_name=_("provinces"),
        blank=True,
        related_name="+",
        help_text=_("Where networks must work to apply. Leave empty for the whole country."),
    )
    reply_working_days = models.PositiveSmallIntegerField(
        _("promised reply time (working days)"),
        default=10,
        # Half a year of working days: a promise further away is no promise, and the queue
        # counts back over these days for every page.
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_(
            "How many working days the fund takes at most to answer a submitted step. Weekends "
            "and Dutch public holidays are not counted."
        ),
    )

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["closes_on", "title"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(max_amount__lte=models.F("budget")),
                name="programme_max_amount_within_budget",
                violation_error_message=_("The maximum amount cannot exceed the total budget."),
            ),
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="programme_closes_after_it_opens",
                violation_error_message=_("The closing date must be on or after the opening date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.fund})"

    def clean(self) -> None:
        if not self.accepted_arrangements:
            raise ValidationError(_("A programme must accept at least one arrangement."))

    @property
    def accepted_arrangements(self) -> list[str]:
        flags = {
            Arrangement.LEGAL_ENTITY: self.accepts_legal_entity,
            Arrangement.COOPERATION_AGREEMENT: self.accepts_cooperation_agreement,
            Arrangement.HOST_ORGANISATION: self.accepts_host_organisation,
            Arrangement.SUPPORT_ONLY: self.accepts_support_only,
        }
        return [code for code, accepted in flags.items() if accepted]

    @property
    def accepts_informal_networks(self) -> bool:
        return any(code in INFORMAL_ARRANGEMENTS for code in self.accepted_arrangements)

    def is_open(self, day=None) -> bool:
        day = day or timezone.localdate()
        return self.opens_on <= day <= self.closes_on

    def step_blueprints(self) -> list[dict]:
        """The steps an application to this programme goes through, in order.

        A programme without step definitions of its own uses the default four steps.
        """
        own = [definition.as_blueprint() for definition in self.step_definitions.all()]
        return own or DEFAULT_STEPS


class StepDefinition(models.Model):
    """One step of a programme's application, with the questions it asks."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="step_definitions"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    key = models.SlugField(_("key"), help_text=_("Short identifier, e.g. 'idea' or 'plan'."))
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)
    questions = models.JSONField(
        _("questions"),
        default=list,
        validators=[validate_step_questions],
        help_text=_(
            'A list of questions: {"key", "label", "help", "type", "required", "choices"}. '
            "Types: text, textarea, number, money, choice, budget_lines, funding_sources, "
            "arrangement."
        ),
    )

    class Meta:
        ordering = ["programme", "order"]
        verbose_name = _("step definition")
        verbose_name_plural = _("step definitions")
        constraints = [
            models.UniqueConstraint(fields=["programme", "order"], name="unique_step_order"),
            models.UniqueConstraint(fields=["programme", "key"], name="unique_step_key"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"

    def as_blueprint(self) -> dict:
        return {
            "key": self.key,
            "title": self.title,
            "intro": self.intro,
            "questions": self.questions,
        }
