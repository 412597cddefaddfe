"""Signing in by e-mail: asking for a link, and using it.

An address with an account gets a django-sesame link (valid for SESAME_MAX_AGE, once: the token
carries a hash of the last sign-in, which using it changes). An address without one gets a
signed, expiring token that carries the address: nothing is stored when it is asked for, and the
account is created only when the link is used. A second use of that link then finds the account
and is refused, so it too works once.

Links are used by a POST from the page they open (``applications.views.accounts``), so a mail
scanner or a link preview that fetches the link cannot use it up. Asking for links is limited per
address and per client address (``sign_in_link_allowed``); the page says the same either way.
"""

import hashlib
import logging
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.cache import cache
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from sesame import settings as sesame_settings
from sesame.tokens import parse_token
from sesame.utils import get_token

from notifications.language import supported
from notifications.models import Preference

logger = logging.getLogger(__name__)

#: The query parameters that carry a link's token (the log filter in core.logmasking masks them).
SESAME_PARAMETER = "sesame"
NEWCOMER_PARAMETER = "token"
_NEWCOMER_SALT = "applications.accounts.newcomer-link"
_WINDOW = 3600  # the limits count the last hour


def link_validity_minutes() -> int:
    return int(getattr(settings, "SESAME_MAX_AGE", 300) or 300) // 60


def _normalised(email: str) -> str:
    return (email or "").strip().lower()


def account_for_email(email: str):
    """The account with this e-mail address (active or not), or None. Creates nothing."""
    User = get_user_model()
    email = (email or "").strip()
    user = User.objects.filter(email__iexact=email).order_by("pk").first()
    return user or User.objects.filter(username=_normalised(email)).first()


def user_for_email(email: str):
    """The account with this e-mail address, or a new one without a password.

    Volunteers never choose a username or password: their e-mail address is their account.
    Asking for a sign-in link never calls this: a newcomer's account is made when the link is
    used (``sign_in_link_use``).
    """
    user = account_for_email(email)
    if user is None:
        User = get_user_model()
        user = User(username=_normalised(email), email=_normalised(email))
        user.set_unusable_password()
        user.save()
    return user


def _link(parameters: dict, next_url: str) -> str:
    if next_url:
        parameters["next"] = next_url
    return f"{settings.SITE_URL}{reverse('magic_login')}?{urlencode(parameters)}"


def sign_in_link(user, *, next_url: str = "") -> str:
    """An absolute one-time sign-in link for ``user``, optionally leading on to ``next_url``."""
    return _link({SESAME_PARAMETER: get_token(user)}, next_url)


def newcomer_link(email: str, *, next_url: str = "") -> str:
    """An absolute link that creates the account for ``email`` when it is used, and signs in."""
    token = signing.dumps({"e": _normalised(email)}, salt=_NEWCOMER_SALT, compress=True)
    return _link({NEWCOMER_PARAMETER: token}, next_url)


def _link_and_address(email: str, *, next_url: str = "") -> tuple[str, str] | None:
    """The link for this address and where to send it; None for a closed account."""
    user = account_for_email(email)
    if user is None:
        return newcomer_link(email, next_url=next_url), _normalised(email)
    if not user.is_active or not user.email:
        return None
    return sign_in_link(user, next_url=next_url), user.email


def sign_in_link_for_email(email: str, *, next_url: str = "") -> str | None:
    """The link for this address: its account's, a newcomer's, or None for a closed account."""
    found = _link_and_address(email, next_url=next_url)
    return found[0] if found else None


def _recent(key: str, now: float) -> list[float]:
    return [moment for moment in cache.get(key, []) if moment > now - _WINDOW]


def sign_in_link_allowed(*, email: str, client_ip: str | None) -> bool:
    """Count a request for a link; False once this address or this client asked too often.

    Per e-mail address at most SIGN_IN_LINKS_PER_ADDRESS, per client address at most
    SIGN_IN_LINKS_PER_CLIENT in any hour (config/settings/base.py says why these numbers); a
    refused request does not count. The counts live in the default cache, which in production
    is the database cache that every worker and host shares. Keys are hashed: the cache holds
    no e-mail or IP addresses.
    """
    now = time.time()
    limits = {  # kind: (cache key, limit)
        "e-mail address": (_key("email", _normalised(email)), settings.SIGN_IN_LINKS_PER_ADDRESS),
        "client address": (_key("ip", client_ip or "unknown"), settings.SIGN_IN_LINKS_PER_CLIENT),
    }
    recent = {key: _recent(key, now) for key, _limit in limits.values()}
    for kind, (key, limit) in limits.items():
        if len(recent[key]) >= limit:
            logger.warning("Sign-in link refused: this %s asked too often in the last hour", kind)
            return False
    for key, moments in recent.items():
        cache.set(key, [*moments, now], timeout=_WINDOW)
    return True


def _key(kind: str, value: str) -> str:
    return f"sign-in-link:{kind}:{hashlib.sha256(value.encode()).hexdigest()[:32]}"


def sign_in_link_send(*, email: str, client_ip: str | None, next_url: str = "") -> bool:
    """E-mail a sign-in link to this address, unless it or the client asked too often.

    An account gets its own link, a newcomer a link that creates the account when used; a
    deactivated account gets nothing. Returns whether a mail went out, for tests and logs only:
    callers show the same page either way, so nobody can find out who has an account or who
    was limited.
    """
    email = (email or "").strip()
    validate_email(email)
    if not sign_in_link_allowed(email=email, client_ip=client_ip):
        return False
    found = _link_and_address(email, next_url=next_url)
    if found is None:
        return False
    link, address = found
    # In the person's own language if their account has one, else in the language of the page
    # they asked from (Dutch unless they chose another): a Turkish volunteer reads it.
    account = account_for_email(email)
    language = getattr(Preference.objects.filter(user=account).first(), "language", None)
    if not supported(language):
        language = translation.get_language() or settings.LANGUAGE_CODE
    with translation.override(language):
        body = _(
            "Hello,\n\nUse this link to sign in to Eigenwijs:\n\n%(link)s\n\n"
            "The link works once and for %(minutes)s minutes. If you did not ask for it, "
            "you can ignore this e-mail."
        ) % {"link": link, "minutes": link_validity_minutes()}
        subject = _("Your sign-in link for Eigenwijs")
    send_mail(subject, body, None, [address])
    return True


def _newcomer_email(token: str) -> str | None:
    try:
        data = signing.loads(token, salt=_NEWCOMER_SALT, max_age=settings.SESAME_MAX_AGE)
    except signing.BadSignature:  # also SignatureExpired
        return None
    email = data.get("e") if isinstance(data, dict) else None
    return email if isinstance(email, str) and email else None


def _active_user(pk, *, lock: bool = False):
    users = get_user_model().objects.filter(is_active=True)
    return (users.select_for_update() if lock else users).filter(pk=pk).first()


def sign_in_link_check(*, sesame: str = "", token: str = "") -> bool:
    """Whether a link's token would sign someone in now. Reads only: the token stays unused."""
    if sesame:
        return parse_token(sesame, _active_user) is not None
    email = _newcomer_email(token) if token else None
    return email is not None and account_for_email(email) is None


@transaction.atomic
def sign_in_link_use(*, sesame: str = "", token: str = ""):
    """Use a link's token: the account it signs in, or None for a used, old or forged one.

    An account's token is checked with the account's row locked, and marks the sign-in
    (last_login) before the lock is released, so two uses at once cannot both succeed. A
    newcomer's token creates the account, once: while or after it is used, the address has an
    account and the token is refused.
    """
    if sesame:
        user = parse_token(sesame, lambda pk: _active_user(pk, lock=True))
        if user is None:
            return None
        if sesame_settings.ONE_TIME:
            user.last_login = timezone.now()
            user.save(update_fields=["last_login"])
        return user
    email = _newcomer_email(token) if token else None
    if email is None or account_for_email(email) is not None:
        return None
    user = get_user_model()(username=email, email=email, last_login=timezone.now())
    user.set_unusable_password()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # the same link used twice at once: the other use made the account
        return None
    return user
