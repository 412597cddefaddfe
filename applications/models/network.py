from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

kvk_number_validator = RegexValidator(
    r"^\d{8}$", _("A Chamber of Commerce (KvK) number has exactly 8 digits.")
)


class Network(models.Model):
    """An informal citizen network: a neighbourhood group or volunteer collective."""

    class LegalStatus(models.TextChoices):
        NONE = "none", _("No legal entity (informal network)")
        ASSOCIATION = "association", _("Association (vereniging)")
        FOUNDATION = "foundation", _("Foundation (stichting)")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    area = models.CharField(
        _("area or municipality"),
        max_length=200,
        blank=True,
        help_text=_("The neighbourhood, village or municipality where you are active."),
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
