from decimal import Decimal

import django_fsm as fsm
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from applications import permissions
from core.phones import clean_phone, format_phone
from funds.models import Programme
from funds.questions import missing_answers

from .step import Step


# Looked up at call time so that importing `permissions` first cannot leave a half-loaded module.
def _is_coordinator(application, user) -> bool:
    return permissions.is_coordinator(application, user)


def _is_officer(application, user) -> bool:
    return permissions.is_officer(application, user)


def _is_manager(application, user) -> bool:
    return permissions.is_manager(application, user)


def _nobody(application, user) -> bool:
    """A transition the system runs when something else happened, never a person's click."""
    return False


def current_step_is_complete(application) -> bool:
    step = application.current_step
    if step is None:
        return False
    revision = step.latest_revision
    return revision is not None and not missing_answers(step.questions, revision.content)


class Application(fsm.ConcurrentTransitionMixin, models.Model):
    """A network's request to a programme, co-drafted step by step with the fund."""

    class State(models.TextChoices):
        DRAFTING = "drafting", _("Drafting")
        STEP_SUBMITTED = "step_submitted", _("Step submitted")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        READY_FOR_DECISION = "ready_for_decision", _("Ready for decision")
        AWARDED = "awarded", _("Awarded")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        CONTRACTED = "contracted", _("Contracted")
        CLOSED = "closed", _("Closed")

    OPEN_STATES = (
        State.DRAFTING,
        State.STEP_SUBMITTED,
        State.CHANGES_REQUESTED,
        State.READY_FOR_DECISION,
    )
    #: States in which the awarded amount counts against the programme budget.
    COMMITTED_STATES = (State.AWARDED, State.CONTRACTED, State.CLOSED)

    network = models.ForeignKey(
        "applications.Network", on_delete=models.PROTECT, related_name="applications"
    )
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="applications")
    title = models.CharField(_("title"), max_length=200)
    requested_amount = models.DecimalField(
        _("requested amount"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    state = fsm.FSMField(
        _("state"), choices=State.choices, default=State.DRAFTING, protected=True, db_index=True
    )
    current_step = models.ForeignKey(
        "applications.Step", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    awarded_amount = models.DecimalField(
        _("awarded amount"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    decline_advice = models.TextField(_("advice"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    #: The fund's contact person for this application; changed only by
    #: ``applications.services.application_assign_lead_officer``, which logs each change
    #: (``LeadOfficerChange``).
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_applications",
        verbose_name=_("lead officer"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    #: The referral this application was started from ("apply here with my answers"): the
    #: referring fund follows what became of it.
    referral = models.ForeignKey(
        "applications.Referral",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("started from referral"),
    )
    #: The network's own draft, not shown to the fund yet: an application started from a
    #: referral, with answers copied from another fund's application, until the network first
    #: submits a step (``applications.selectors.shown_to_fund``).
    kept_from_fund = models.BooleanField(_("not shown to the fund yet"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        indexes = [models.Index(fields=["programme", "state"], name="application_programme_state")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="declined")
                | (~models.Q(decline_reason="") & ~models.Q(decline_advice="")),
                name="declined_has_reason_and_advice",
            ),
            models.CheckConstraint(
                condition=~models.Q(state__in=["awarded", "contracted", "closed"])
                | models.Q(awarded_amount__isnull=False),
                name="awarded_has_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} – {self.network}"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    @property
    def themes(self):
        """An application's themes are its programme's fund's themes."""
        return self.programme.fund.themes.all()

    def ordered_steps(self):
        return self.steps.order_by("order")

    # Transitions. Each only changes this application and its steps, inside the transaction
    # the calling service opened; e-mails and other side effects happen in the services on commit.

    @fsm_log_by
    @fsm_log_description
    @fsm.transition(
        field=state,
        source=[State.DRAFTING, State.CHANGES_REQUESTED],
        target=State.STEP_SUBMITTED,
        conditions=[current_step_is_complete],
        permission=_is_coordinator,
    )
    def submit_step(self, *, by=None, description=None):
        self.current_step.mark(Step.Status.SUBMITTED)

    @fsm_log_by
    @fsm_log_description
    @fsm.transition(
        field=state,
        source=State.STEP_SUBMITTED,
        target=State.CHANGES_REQUESTED,
        permission=_is_officer,
    )
    def request_changes(self, *, by=None, description=None):
        # "At least one open comment" is checked by the service: its payload may add the comment.
        self.current_step.mark(Step.Status.CHANGES_REQUESTED)

    @fsm_log_by
    @fsm_log_description
    @fsm.transition(
        field=state,
        source=State.STEP_SUBMITTED,
        target=fsm.RETURN_VALUE(State.DRAFTING, State.READY_FOR_DECISION),
        permission=_is_officer,
    )
    def accept_step(self, *, by=None, description=None):
        self.current_step.mark(Step.Status.ACCEPTED)
        next_step = self.steps.filter(order__gt=self.current_step.order).order_by("order").first()
        if next_step is None:
            return self.State.READY_FOR_DECISION
        next_step.mark(Step.Status.OPEN)
        self.current_step = next_step
        return self.State.DRAFTING

    @fsm_log_by
    @fsm_log_description
    @fsm.transition(
        field=state,
        source=list(OPEN_STATES),
        target=State.DECLINED,
        permission=_is_officer,
    )
    def decline(self, *, reason: str, advice: str, by=None, description=None):
        self.decline_reason = reason
        self.decline_advice = advice
        self.decided_at = timezone.now()

    @fsm_log_by
    @fsm_log_description
    @fsm.transition(
        field=state,
        source=list(OPEN_STATES),
        target=State.WITHDRAWN,
        permission=_is_coordinator,
    )
    def withdraw(self, *, by=None, description=None):
        """The state change is all: the steps keep their history as it was."""

    @fsm_log_by
    @fsm_log_description
    @fsm.transition(
        field=state,
        source=State.READY_FOR_DECISION,
        target=State.AWARDED,
        permission=_is_manager,
    )
    def award(self, *, amount: Decimal, by=None, description=None):
        self.awarded_amount = amount
        self.decided_at = timezone.now()

    # The agreements app runs these two when an agreement is executed and when the final
    # report is accepted and the last tranche paid; nobody runs them by hand, so no person is
    # ever offered them (``get_available_user_state_transitions``).

    @fsm_log_by
    @fsm_log_description
    @fsm.transition(field=state, source=State.AWARDED, target=State.CONTRACTED, permission=_nobody)
    def contract(self, *, by=None, description=None):
        """The executed agreement is the record."""

    @fsm_log_by
    @fsm_log_description
    @fsm.transition(field=state, source=State.CONTRACTED, target=State.CLOSED, permission=_nobody)
    def close(self, *, by=None, description=None):
        """The accepted final report and the paid tranches are the record."""


class Referral(models.Model):
    """Where a declined network can go next: another programme, or a person to call or mail.

    "Nobody leaves without a phone number or advice." A phone number is kept in E.164
    (``core.phones``) and shown with ``phone_display``.
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="referrals")
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("other programme"),
    )
    #: The directory entry it was picked from; its contact is copied into the fields below when
    #: the referral is made, so later edits of the entry do not rewrite what the network was told.
    entry = models.ForeignKey(
        "directory.DirectoryEntry",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("directory entry"),
    )
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    url = models.URLField(_("web address"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(programme__isnull=False)
                | (
                    (~models.Q(organisation="") | ~models.Q(contact_name=""))
                    & (~models.Q(phone="") | ~models.Q(email="") | ~models.Q(url=""))
                ),
                name="referral_names_programme_or_reachable_contact",
            ),
        ]

    def __str__(self) -> str:
        if self.programme_id:
            return str(self.programme)
        return " – ".join(filter(None, [self.organisation, self.contact_name]))

    def clean(self) -> None:
        if self.phone.strip():  # also beside a programme: any number shown must be callable
            try:
                self.phone = clean_phone(self.phone)
            except ValidationError as error:
                raise ValidationError({"phone": error.messages}) from None
        if self.programme_id:
            if self.application_id and self.programme_id == self.application.programme_id:
                raise ValidationError(
                    {"programme": _("Refer to another programme than the one applied to.")}
                )
            return
        if not (self.organisation.strip() or self.contact_name.strip()):
            raise ValidationError(
                _("Name another programme, or an organisation or contact person.")
            )
        if not (self.phone.strip() or self.email.strip() or self.url.strip()):
            raise ValidationError(
                _(
                    "Give a phone number, e-mail address or web address, so the network can "
                    "get in touch."
                )
            )

    @property
    def phone_display(self) -> str:
        """The phone number as a person reads it: "020 123 4567", "+32 2 555 12 12"."""
        return format_phone(self.phone)


class ApplicationHelper(models.Model):
    """A person who helps a network write one application: a neighbourhood broker, a welfare
    worker, a volunteer from another network.

    Invited by e-mail address (like a network member, ``applications.invitation_links``); the
    invitation is pending until the person signed in with that address accepts. A helper writes
    drafts, comments and reads the application, and nothing more: never submits, signs, is a
    signatory or sees bank details (``applications.permissions``). Access ends when a
    coordinator removes them or the application is no longer open.
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="helpers")
    email = models.EmailField(_("e-mail address"), max_length=254)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="helping",
        verbose_name=_("helper"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    nonce = models.CharField(max_length=64, editable=False)
    sent_at = models.DateTimeField(_("last sent at"))
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined at"), null=True, blank=True)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("removed by"),
    )

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("helper")
        verbose_name_plural = _("helpers")
        constraints = [
            # One invitation or helper at a time per address and application.
            models.UniqueConstraint(
                Lower("email"),
                models.F("application"),
                name="unique_open_application_helper",
                condition=models.Q(declined_at__isnull=True, removed_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} – {self.application}"

    @property
    def is_active(self) -> bool:
        """Accepted and not removed (whether the application is still open is asked apart)."""
        return self.accepted_at is not None and self.removed_at is None and self.declined_at is None
