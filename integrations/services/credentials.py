"""Creating and revoking API keys and personal tokens. The secret is returned once, never stored."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from applications.permissions import fund_role
from funds.models import Fund, FundMembership
from integrations.models import FundAPIKey, PersonalAccessToken, Scope

NAME_LIMIT = 50


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the key a name, for example 'CRM'.")})
    if len(name) > NAME_LIMIT:
        raise ValidationError(
            {"name": _("Keep the name under %(n)s characters.") % {"n": NAME_LIMIT}}
        )
    return name


def _clean_scope(scope: str) -> str:
    if scope not in Scope.values:
        raise ValidationError({"scope": _("Choose read, or read and write.")})
    return scope


def _require_manager(fund: Fund, actor) -> None:
    if fund_role(fund, actor) != FundMembership.Role.MANAGER:
        raise PermissionDenied(_("Only a manager of the fund manages its API keys."))


@transaction.atomic
def fund_key_create(
    *,
    fund: Fund,
    actor,
    name: str,
    scope: str = Scope.READ,
    role: str = FundMembership.Role.OFFICER,
) -> tuple[FundAPIKey, str]:
    """A key for the fund's back office; returns it with the secret, which is shown only now."""
    _require_manager(fund, actor)
    name, scope = _clean_name(name), _clean_scope(scope)
    if role not in FundMembership.Role.values:
        raise ValidationError({"role": _("Choose officer or manager.")})
    key = FundAPIKey(fund=fund, name=name, scope=scope, created_by=actor)
    secret = FundAPIKey.objects.assign_key(key)
    user = get_user_model().objects.create(
        username=f"key-{key.prefix}", first_name=name[:150], last_name=f"({fund.name})"[:150]
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    FundMembership.objects.create(fund=fund, user=user, role=role)
    key.user = user
    key.save()
    return key, secret


@transaction.atomic
def fund_key_revoke(*, key: FundAPIKey, actor) -> FundAPIKey:
    key = FundAPIKey.objects.select_for_update().get(pk=key.pk)
    _require_manager(key.fund, actor)
    key.revoked = True
    key.save(update_fields=["revoked"])
    # The key's account stays for the log's sake, but can do nothing any more.
    key.user.is_active = False
    key.user.save(update_fields=["is_active"])
    return key


@transaction.atomic
def personal_token_create(
    *, actor, name: str, scope: str = Scope.READ_WRITE
) -> tuple[PersonalAccessToken, str]:
    if not getattr(actor, "is_authenticated", False) or hasattr(actor, "fund_api_key"):
        raise PermissionDenied(_("Sign in as yourself to create a personal token."))
    token = PersonalAccessToken(user=actor, name=_clean_name(name), scope=_clean_scope(scope))
    secret = PersonalAccessToken.objects.assign_key(token)
    token.save()
    return token, secret


@transaction.atomic
def personal_token_revoke(*, token: PersonalAccessToken, actor) -> PersonalAccessToken:
    token = PersonalAccessToken.objects.select_for_update().get(pk=token.pk)
    if token.user_id != actor.pk:
        raise PermissionDenied(_("You can only revoke your own tokens."))
    token.revoked = True
    token.save(update_fields=["revoked"])
    return token
