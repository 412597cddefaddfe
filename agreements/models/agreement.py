"""Agreements: accountability without a legal entity, signed and tamper-evident."""

import django_fsm as fsm
from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from agreements import permissions, rules
from funds.arrangements import Arrangement


def all_signed(agreement) -> bool:
    signatories = list(agreement.signatories.all())
    return bool(signatories) and all(s.signed_at for s in signatories)


# Looked up at call time, as in applications' models, so the order of imports cannot matter.
def _is_sendable(agreement) -> bool:
    return rules.is_sendable(agreement)


def _is_officer(agreement, user) -> bool:
    return permissions.is_agreement_officer(agreement, user)


def by_the_system(instance, user) -> bool:
    """No person runs this transition: it follows from something else (the last signature, an
    accepted final report), so django-fsm offers it to nobody."""
    return False


class Agreement(fsm.ConcurrentTransitionMixin, models.Model):
    """What a fund and a network agree on after an award: money, purpose, duties, signatures.

    Editable only as a draft. Sending it out freezes the text (its SHA-256 is recorded); the
    network's signatories sign, then a manager of the fund countersigns last; the contract PDF
    is rendered once, when that last signature is in, and never changes after.
    Corrections are amendments: a new agreement that refers to this one.
    """

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OUT_FOR_SIGNATURE = "out_for_signature", _("Out for signature")
        EXECUTED = "executed", _("Signed by everyone")
        CANCELLED = "cancelled", _("Cancelled")

    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="agreements"
    )
    amends = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amendments",
        verbose_name=_("amends"),
    )
    arrangement = models.CharField(_("arrangement"), max_length=30, choices=Arrangement.choices)
    language = models.CharField(
        _("language"), max_length=2, choices=settings.FUND_LANGUAGES, default="nl"
    )
    # v2 (issue 14): the network's own legal form, and the fund's countersignature.
    template_version = models.CharField(_("template version"), max_length=20, default="v2")
    amount = models.DecimalField(
        _("amount"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    purpose = models.TextField(_("purpose"))
    budget_lines = models.JSONField(_("budget lines"), default=list, blank=True)
    obligations = models.TextField(_("obligations"))
    final_report_due = models.DateField(_("final report due"))
    progress_report_due = models.DateField(_("progress report due"), null=True, blank=True)
    # Who receives the money: the network's own entity, a named member, or the host organisation.
    payee_name = models.CharField(_("account holder"), max_length=200, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    kvk_number = models.CharField(_("KvK number"), max_length=8, blank=True)
    host_name = models.CharField(_("host organisation"), max_length=200, blank=True)
    host_representative_name = models.CharField(
        _("host representative"), max_length=200, blank=True
    )
    host_representative_email = models.EmailField(_("host representative e-mail"), blank=True)
    state = fsm.FSMField(
        _("state"), choices=State.choices, default=State.DRAFT, protected=True, db_index=True
    )
    frozen_html = models.TextField(_("frozen text"), blank=True, editable=False)
    frozen_sha256 = models.CharField(_("SHA-256 of the frozen text"), max_length=64, blank=True)
    contract_pdf = models.FileField(_("contract PDF"), upload_to="contracts/", blank=True)
    contract_sha256 = models.CharField(_("SHA-256 of the contract PDF"), max_length=64, blank=True)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    executed_at = models.DateTimeField(_("executed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(
                # A draft, or a draft that was cancelled, was never frozen; everything else was.
                condition=models.Q(state__in=["draft", "cancelled"]) | ~models.Q(frozen_sha256=""),
                name="agreement_sent_is_frozen",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="executed") | ~models.Q(contract_sha256=""),
                name="agreement_executed_has_contract",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_arrangement_display()} – {self.application}"

    @property
    def moves_money(self) -> bool:
        return self.arrangement != Arrangement.SUPPORT_ONLY

    @fsm_log_by
    @fsm_log_description
    @fsm.transition(
        field=state,
        source=State.DRAFT,
        target=State.OUT_FOR_SIGNATURE,
        conditions=[_is_sendable],
        permission=_is_officer,
    )
    def send(self, *, frozen_html: str, frozen_sha256: str, by=None, description=None):
        self.frozen_html = frozen_html
        self.frozen_sha256 = frozen_sha256
        self.sent_at = timezone.now()

    @fsm_log_by
    @fsm_log_description
    @fsm.transition(
        field=state,
        source=State.OUT_FOR_SIGNATURE,
        target=State.EXECUTED,
        conditions=[all_signed],
        permission=by_the_system,
    )
    def execute(self, *, by=None, description=None):
        self.executed_at = timezone.now()

    @fsm_log_by
    @fsm_log_description
    @fsm.transition(
        field=state,
        source=[State.DRAFT, State.OUT_FOR_SIGNATURE],
        target=State.CANCELLED,
        permission=_is_officer,
    )
    def cancel(self, *, by=None, description=None):
        """Signatures already given stay on record; links stop working."""


class Signatory(models.Model):
    """A person who must sign: a network member, the coordinator, or the host's representative."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member of the network")
        COORDINATOR = "coordinator", _("Coordinator of the network")
        REPRESENTATIVE = "representative", _("Representative of the legal entity")
        HOST = "host", _("Representative of the host organisation")
        # Added by the service when the network has signed, never by the draft's editor.
        FUND = "fund", _("Manager of the fund (countersigns last)")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="signatories")
    role = models.CharField(_("signs as"), max_length=20, choices=Role.choices)
    name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    address = models.CharField(_("home address"), max_length=300, blank=True)
    # Rotated every time a link is sent, so an older link stops working.
    link_nonce = models.CharField(max_length=32, blank=True, editable=False)
    # When this signatory's link was made: at sending for the network, later for the fund (when
    # the network has signed). The link expires, and its reminder comes, counted from here.
    link_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    typed_name = models.CharField(_("name typed when signing"), max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=500, blank=True)
    seen_sha256 = models.CharField(_("SHA-256 of the text seen"), max_length=64, blank=True)

    class Meta:
        ordering = ["agreement", "pk"]
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "email"], name="unique_signatory_email"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"
