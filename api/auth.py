"""`Authorization: Bearer <key-or-token>` for fund API keys and personal access tokens."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions
from rest_framework_api_key.permissions import KeyParser

from integrations.models import FundAPIKey, PersonalAccessToken

#: Recording every use would write a row per request; a minute's precision is enough to audit.
LAST_USED_PRECISION = timedelta(minutes=1)


class BearerKeyParser(KeyParser):
    keyword = "Bearer"


class BearerAuthentication(authentication.BaseAuthentication):
    """Authenticates as the key's own account (fund keys) or the token's owner (personal tokens).

    ``request.auth`` is the key or token, which carries the scope.
    """

    def authenticate(self, request):
        key = BearerKeyParser().get(request._request)
        if not key:
            return None
        for model in (FundAPIKey, PersonalAccessToken):
            try:
                credential = model.objects.get_from_key(key)
            except model.DoesNotExist:
                continue
            if credential.has_expired:
                break
            _touch(credential)
            return credential.user, credential
        raise exceptions.AuthenticationFailed(_("This key or token is not valid or was revoked."))

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


def _touch(credential) -> None:
    now = timezone.now()
    if credential.last_used_at is None or now - credential.last_used_at > LAST_USED_PRECISION:
        type(credential).objects.filter(pk=credential.pk).update(last_used_at=now)
        credential.last_used_at = now


def credential_label(request) -> str:
    """Who is calling, for throttling and idempotency: one bucket per key, token or person."""
    auth = getattr(request, "auth", None)
    if isinstance(auth, FundAPIKey):
        return f"key:{auth.prefix}"
    if isinstance(auth, PersonalAccessToken):
        return f"token:{auth.prefix}"
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return ""
