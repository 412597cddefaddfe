"""API keys for fund back offices and personal access tokens for people.

Both are djangorestframework-api-key keys: ``<prefix>.<secret>``, shown once, stored as a hash,
looked up by the prefix. A fund key acts through a user of its own that is a member of the fund
(officer or manager), so every permission rule and every log entry works as for a person:
the transition log says which key did what. The person responsible for what a key does is the
manager who created it (``created_by``, set once): separation of duties counts the key as that
person (``core.people``, registered in ``IntegrationsConfig.ready()``).

Where the fund asks for it (``Fund.manager_keys_need_approval``), a key that acts as a manager
waits for another manager's approval before it works (``pending_approval``). Every creation,
change, approval and revocation of a fund key is written down in ``FundKeyChange``.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.crypto import KeyGenerator
from rest_framework_api_key.models import AbstractAPIKey, BaseAPIKeyManager

from funds.models import FundMembership


class Scope(models.TextChoices):
    READ = "read", _("Read")
    READ_WRITE = "read_write", _("Read and write")


class KeyManager(BaseAPIKeyManager):
    key_generator = KeyGenerator(prefix_length=8, secret_key_length=32)


class FundAPIKeyManager(KeyManager):
    def get_usable_keys(self):
        # A key that waits for a second manager does not work yet: the API answers 401.
        return (
            super().get_usable_keys().filter(pending_approval=False).select_related("fund", "user")
        )


class ScopedCredential:
    """What ``core.actions`` asks of a credential: a read-only one may take no action."""

    @property
    def read_only(self) -> bool:
        return self.scope != Scope.READ_WRITE


class FundAPIKey(ScopedCredential, AbstractAPIKey):
    fund = models.ForeignKey("funds.Fund", on_delete=models.CASCADE, related_name="api_keys")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="fund_api_key",
        help_text=_("The account the key acts as; it can never sign in."),
    )
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices, default=Scope.READ)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        help_text=_("The person responsible for what the key does; it never changes."),
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    pending_approval = models.BooleanField(
        _("waiting for approval"),
        default=False,
        help_text=_("The key works only after another manager of the fund has approved it."),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    objects = FundAPIKeyManager()

    class Meta(AbstractAPIKey.Meta):
        verbose_name = _("fund API key")
        verbose_name_plural = _("fund API keys")


class FundKeyChange(models.Model):
    """One thing done to a fund's key: who, when, what, and the role and scope it left."""

    class What(models.TextChoices):
        CREATED = "created", _("Created")
        CHANGED = "changed", _("Changed")
        APPROVED = "approved", _("Approved")
        REVOKED = "revoked", _("Revoked")

    key = models.ForeignKey(FundAPIKey, on_delete=models.CASCADE, related_name="changes")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    what = models.CharField(_("what"), max_length=20, choices=What.choices)
    role = models.CharField(
        _("acts as"), max_length=20, choices=FundMembership.Role.choices, blank=True
    )
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices, blank=True)
    previous_role = models.CharField(
        _("acted as"), max_length=20, choices=FundMembership.Role.choices, blank=True
    )
    previous_scope = models.CharField(
        _("previous scope"), max_length=20, choices=Scope.choices, blank=True
    )
    #: This change left the key waiting for another manager; its author may not approve it.
    needs_approval = models.BooleanField(_("needs approval"), default=False)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("change of a fund API key")
        verbose_name_plural = _("changes of fund API keys")

    def __str__(self) -> str:
        return f"{self.key.prefix}: {self.what} {self.at:%Y-%m-%d %H:%M}"


class PersonalTokenManager(KeyManager):
    def get_usable_keys(self):
        return super().get_usable_keys().select_related("user").filter(user__is_active=True)


class PersonalAccessToken(ScopedCredential, AbstractAPIKey):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_tokens"
    )
    scope = models.CharField(
        _("scope"), max_length=20, choices=Scope.choices, default=Scope.READ_WRITE
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    objects = PersonalTokenManager()

    class Meta(AbstractAPIKey.Meta):
        verbose_name = _("personal access token")
        verbose_name_plural = _("personal access tokens")
