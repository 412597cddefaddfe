"""API keys for fund back offices and personal access tokens for people.

Both are djangorestframework-api-key keys: ``<prefix>.<secret>``, shown once, stored as a hash,
looked up by the prefix. A fund key acts through a user of its own that is a member of the fund
(officer or manager), so every permission rule and every log entry works as for a person:
the transition log says which key did what.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.crypto import KeyGenerator
from rest_framework_api_key.models import AbstractAPIKey, BaseAPIKeyManager


class Scope(models.TextChoices):
    READ = "read", _("Read")
    READ_WRITE = "read_write", _("Read and write")


class KeyManager(BaseAPIKeyManager):
    key_generator = KeyGenerator(prefix_length=8, secret_key_length=32)


class FundAPIKeyManager(KeyManager):
    def get_usable_keys(self):
        return super().get_usable_keys().select_related("fund", "user")


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
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    objects = FundAPIKeyManager()

    class Meta(AbstractAPIKey.Meta):
        verbose_name = _("fund API key")
        verbose_name_plural = _("fund API keys")


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
