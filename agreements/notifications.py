"""E-mails of the agreement: personal signing links, and the signed contract's news."""

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _

from agreements.models import Agreement
from agreements.signing import max_age, signing_url


def send_signing_links(agreement_id: int) -> None:
    agreement = Agreement.objects.select_related("application__programme__fund").get(
        pk=agreement_id
    )
    fund = agreement.application.programme.fund.name
    for signatory in agreement.signatories.filter(signed_at__isnull=True):
        with translation.override(agreement.language):
            body = _(
                'Hello %(name)s,\n\n%(fund)s has prepared the agreement for "%(title)s". '
                "Please read it and sign it with this personal link:\n\n%(link)s\n\n"
                "The link is only for you, works once, and for %(days)s days."
            ) % {
                "name": signatory.name,
                "fund": fund,
                "title": agreement.application.title,
                "link": signing_url(signatory),
                "days": max_age() // 86400,
            }
            subject = _("Please sign the agreement with %(fund)s") % {"fund": fund}
        send_mail(subject, body, None, [signatory.email])


def notify_executed(agreement_id: int) -> None:
    agreement = Agreement.objects.select_related("application__programme__fund").get(
        pk=agreement_id
    )
    recipients = sorted({s.email for s in agreement.signatories.all()})
    with translation.override(agreement.language):
        subject = _('The agreement for "%(title)s" is signed') % {
            "title": agreement.application.title
        }
        body = _(
            "Everyone has signed. The contract is stored in Eigenwijs; its fingerprint "
            "(SHA-256) is:\n\n%(sha)s\n\n%(site)s"
        ) % {"sha": agreement.contract_sha256, "site": settings.SITE_URL}
    send_mail(subject, body, None, recipients)
