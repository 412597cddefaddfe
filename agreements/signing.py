"""Personal signing links: signed with Django's signing framework, single-use, expiring.

A link names one signatory and that signatory's current nonce. It stops working when it is
older than SIGNING_LINK_MAX_AGE, when the signatory has signed, when a newer link was sent (the
nonce changed), or when the agreement is no longer out for signature.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agreements import permissions, selectors
from agreements.models import Agreement, Signatory

SALT = "agreements.signing-link"


class SigningLinkInvalid(Exception):  # noqa: N818 - read as "the signing link is invalid"
    def __init__(self, reason):
        super().__init__(str(reason))
        self.reason = reason


def max_age() -> int:
    return int(getattr(settings, "SIGNING_LINK_MAX_AGE", 14 * 24 * 3600))


def signing_token(signatory: Signatory) -> str:
    return signing.dumps({"s": signatory.pk, "n": signatory.link_nonce}, salt=SALT, compress=True)


def signing_url(signatory: Signatory) -> str:
    return f"{settings.SITE_URL}{reverse('agreement_sign', args=[signing_token(signatory)])}"


def signatory_for_token(token: str) -> Signatory:
    """The signatory the link belongs to, or SigningLinkInvalid with a reason a person can read."""
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age())
    except signing.SignatureExpired:
        raise SigningLinkInvalid(_("This link has expired. Ask the fund for a new one.")) from None
    except signing.BadSignature:
        raise SigningLinkInvalid(
            _("This link is not valid. Check that you copied all of it.")
        ) from None
    signatory = (
        Signatory.objects.select_related(
            "agreement__application__network", "agreement__application__programme__fund"
        )
        .filter(pk=data.get("s"))
        .first()
    )
    if signatory is None or not signatory.link_nonce or signatory.link_nonce != data.get("n"):
        raise SigningLinkInvalid(_("This link was replaced by a newer one. Use the latest e-mail."))
    if signatory.signed_at is not None:
        raise SigningLinkInvalid(_("You have already signed. Thank you!"))
    if signatory.agreement.state == Agreement.State.CANCELLED:
        raise SigningLinkInvalid(
            _("This agreement was cancelled by the fund. There is nothing to sign.")
        )
    if signatory.agreement.state != Agreement.State.OUT_FOR_SIGNATURE:
        raise SigningLinkInvalid(_("This agreement is not open for signing."))
    return signatory


def ask_countersign_refusal(agreement: Agreement, user) -> str | None:
    """May this person ask a manager (again) to countersign? The fund's officers, once the
    network has signed and the fund has not, when a manager may: the first ask found nobody, or
    the one asked cannot or did not sign (left the fund, away, link expired). Asking again
    replaces the fund's unsigned link. The agreement page and the service both ask this."""
    refusal = permissions.agreement_officer_refusal(agreement, user)
    if refusal is not None:
        return refusal
    if not selectors.network_has_signed(agreement):
        return _("The fund's countersignature is not waiting for a manager.")
    if selectors.countersigner(agreement) is None:
        return _(
            "Still no manager of the fund may countersign: add a manager who neither "
            "awarded the grant nor prepared the agreement."
        )
    return None


def fund_signer_refusal(signatory: Signatory, user) -> str | None:
    """The fund's link is personal too, and signed in: only the manager it names, and only when
    that manager may countersign (four eyes: not who awarded or prepared). ``None`` for the
    network's signatories, whose link alone is enough."""
    if signatory.role != Signatory.Role.FUND:
        return None
    if user is None or not user.is_authenticated:
        return _("Sign in as %(email)s to countersign for the fund.") % {"email": signatory.email}
    refusal = permissions.countersign_refusal(signatory.agreement, user)
    if refusal is not None:
        return refusal
    if (user.email or "").strip().lower() != signatory.email.strip().lower():
        return _(
            "This link is for %(name)s. Only the manager it was sent to countersigns with it."
        ) % {"name": signatory.name}
    return None
