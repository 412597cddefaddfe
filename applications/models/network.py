from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

kvk_number_validator = RegexValidator(
    r"^\d{8}$", _("A Chamber of Commerce (KvK) number has exactly 8 digits.")
)


def site_language() -> str:
    """The site's language (Dutch): a callable, so settings are read when a row is made."""
    return settings.LANGUAGE_CODE


class Network(models.Model):
    """An informal citizen network: a neighbourhood group or volunteer collective."""

    class LegalStatus(models.TextChoices):
        NONE = "none", _("No legal entity (informal network)")
        ASSOCIATION = "association", _("Association (vereniging)")
        FOUNDATION = "foundation", _("Foundation (stichting)")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    province = models.ForeignKey(
        "core.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
        help_text=_("The province where you are active."),
    )
    area = models.CharField(
        _("place"),
        max_length=200,
        blank=True,
        help_text=_("The town, village or neighbourhood where you are active."),
    )
    language = models.CharField(
        _("language you work in"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=site_language,
        help_text=_("The fund sees this, so it knows in which language to help you."),
    )
    legal_status = models.CharField(
        _("legal status"), max_length=20, choices=LegalStatus.choices, default=LegalStatus.NONE
    )
    kvk_number = models.CharField(
        _("Chamber of Commerce (KvK) number"),
        max_length=8,
        blank=True,
        validators=[kvk_number_validator],
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")

    def __str__(self) -> str:
        return self.name

    @property
    def has_legal_entity(self) -> bool:
        return self.legal_status in (self.LegalStatus.ASSOCIATION, self.LegalStatus.FOUNDATION)


class NetworkMember(models.Model):
    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordinator")
        MEMBER = "member", _("Member")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="network_memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        verbose_name = _("network member")
        verbose_name_plural = _("network members")
        constraints = [
            models.UniqueConstraint(fields=["network", "user"], name="unique_network_member"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.network}"


class NetworkInvitation(models.Model):
    """An invitation to join a network: pending until the invited person accepts it, signed in.

    It holds the address as the coordinator typed it, never an account: inviting creates no
    account and tells the inviter nothing about whether one exists. Only accepting creates a
    NetworkMember, so every rule that counts members (who sees what, conflict of interest, who
    gets e-mail) counts only people who said yes. The e-mailed link carries ``nonce``
    (``applications.invitation_links``): sending it again replaces the nonce, and with it the
    old link.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        EXPIRED = "expired", _("Expired")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        REVOKED = "revoked", _("Withdrawn")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"), max_length=254)
    role = models.CharField(
        _("role"),
        max_length=20,
        choices=NetworkMember.Role.choices,
        default=NetworkMember.Role.MEMBER,
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
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("last sent at"))
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    declined_at = models.DateTimeField(_("declined at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("network invitation")
        verbose_name_plural = _("network invitations")
        constraints = [
            # One open invitation per address and network; the services say so before this does.
            models.UniqueConstraint(
                Lower("email"),
                models.F("network"),
                name="unique_open_network_invitation",
                condition=models.Q(
                    accepted_at__isnull=True, declined_at__isnull=True, revoked_at__isnull=True
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} – {self.network}"

    @property
    def is_open(self) -> bool:
        """Not answered and not withdrawn: it can still be sent again, or withdrawn."""
        return self.accepted_at is None and self.declined_at is None and self.revoked_at is None

    def is_expired(self, now=None) -> bool:
        return self.expires_at <= (now or timezone.now())

    @property
    def status(self) -> str:
        if self.accepted_at is not None:
            return self.Status.ACCEPTED
        if self.declined_at is not None:
            return self.Status.DECLINED
        if self.revoked_at is not None:
            return self.Status.REVOKED
        return self.Status.EXPIRED if self.is_expired() else self.Status.PENDING

    def get_status_display(self) -> str:
        return str(self.Status(self.status).label)
