"""The links in a message: to the exact place, signing the recipient in for that place only.

A place link carries a token made with Django's signing framework that names the account and
the path it opens. It lasts PLACE_LINK_MAX_AGE (7 days), may be opened more than once, and
survives other sign-ins: django-sesame's tokens would die with the next sign-in, because this
project sets SESAME_ONE_TIME for the general sign-in link (``applications.services.accounts``),
and that setting holds for every sesame token. A place token stops working when the account is
deactivated, its e-mail address changes or its password changes (a digest of both is part of
the token), and when the account is deleted.

Accounts that reach the admin (``is_staff``) never sign in by a link in a mail, which may be
forwarded: their messages carry the plain address of the place, which asks them to sign in.

Like every sign-in link it is used by a POST from the page it opens, so a mail scanner that
fetches it signs nobody in (``notifications.views.PlaceLoginView``).

Apps that send a personal link of their own (a signing link, an invitation) register a maker:
``register_link_maker("agreements.signing", lambda signatory_id: url_or_none)``.
"""

import hashlib
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

SALT = "notifications.place-link"
UNSUBSCRIBE_SALT = "notifications.unsubscribe"
TOKEN_PARAMETER = "token"

_makers: dict[str, Callable[[int], str | None]] = {}


def register_link_maker(name: str, make: Callable[[int], str | None]) -> None:
    """``make(object_id)`` returns the absolute personal link, or None when it no longer works."""
    _makers[name] = make


def personal_link(name: str, object_id: int) -> str | None:
    return _makers[name](object_id)


def max_age() -> int:
    return int(getattr(settings, "PLACE_LINK_MAX_AGE", 7 * 24 * 3600))


def _address_digest(user) -> str:
    """Changes with the account's e-mail address and with its password (also an unusable one:
    deleting an account sets a new one)."""
    seed = f"{(user.email or '').lower()}:{user.get_session_auth_hash()}"
    return hashlib.sha256(seed.encode()).hexdigest()[:16]


def _email_digest(user) -> str:
    """Changes with the account's e-mail address only: an unsubscribe link outlives a password."""
    return hashlib.sha256((user.email or "").lower().encode()).hexdigest()[:12]


def signs_in_by_link(user) -> bool:
    """Whether a message's link may sign this account in: not for the admin's accounts."""
    return user.is_active and not (user.is_staff or user.is_superuser)


def is_local_path(path: str) -> bool:
    return (
        path.startswith("/")
        and not path.startswith("//")
        and url_has_allowed_host_and_scheme(path, allowed_hosts=None)
    )


def place_token(user, path: str, *, notification_id: int | None = None) -> str:
    data = {"u": user.pk, "p": path, "a": _address_digest(user)}
    if notification_id:
        data["n"] = notification_id
    return signing.dumps(data, salt=SALT, compress=True)


def place_url(user, path: str, *, notification_id: int | None = None) -> str:
    """The absolute link that opens ``path`` signed in as ``user``."""
    query = urlencode({TOKEN_PARAMETER: place_token(user, path, notification_id=notification_id)})
    return f"{settings.SITE_URL}{reverse('place_login')}?{query}"


class PlaceLinkInvalid(Exception):  # noqa: N818 - read as "the place link is invalid"
    pass


def place_for_token(token: str):
    """(account, path, notification id) for a place token, or PlaceLinkInvalid."""
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age())
    except signing.SignatureExpired:
        raise PlaceLinkInvalid("expired") from None
    except signing.BadSignature:
        raise PlaceLinkInvalid("bad") from None
    path = data.get("p", "")
    user = get_user_model().objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None or not user.email or _address_digest(user) != data.get("a"):
        raise PlaceLinkInvalid("account")
    if not signs_in_by_link(user):
        raise PlaceLinkInvalid("staff")
    if not isinstance(path, str) or not is_local_path(path):
        raise PlaceLinkInvalid("path")
    return user, path, data.get("n")


def unsubscribe_token(user) -> str:
    return signing.dumps({"u": user.pk, "a": _email_digest(user)}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(user) -> str:
    return (
        f"{settings.SITE_URL}{reverse('notifications_unsubscribe', args=[unsubscribe_token(user)])}"
    )


def user_for_unsubscribe_token(token: str):
    """The account an unsubscribe link belongs to, or None. These links do not expire."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    user = get_user_model().objects.filter(pk=data.get("u")).first()
    if user is None or _email_digest(user) != data.get("a"):
        return None
    return user
