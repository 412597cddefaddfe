"""What the people of an agreement hear: signing links, signatures, the contract, money, reports.

Every message is written with ``notifications.services.notify`` inside the service's transaction,
after the change: a rolled-back signature or payment leaves no message, and the mail worker sends
what committed. Who hears it comes from ``applications.audiences``, so "the fund" and "the
coordinators" mean the same people here as on the application. Signing links are personal: the
message stores no token, the link is made when the mail goes (``signing_link``, registered in
``AgreementsConfig.ready()``), so a link that was replaced or used no longer goes out.
"""

import dataclasses

from django.conf import settings
from django.db.models import Sum
from django.urls import reverse

from agreements.models import Agreement, Report, Signatory, Tranche
from agreements.signing import max_age, signing_url
from applications.audiences import fund_side, network_side
from notifications.services import Attachment, Recipient, address, notify

#: The name the signing link maker is registered under (``notifications.links``).
SIGNING_LINK = "agreements.signing"


def signing_link(signatory_id: int) -> str | None:
    """The signatory's personal link while they can still sign with it; ``None`` after."""
    signatory = (
        Signatory.objects.select_related("agreement")
        .filter(pk=signatory_id, signed_at__isnull=True)
        .exclude(link_nonce="")
        .first()
    )
    if signatory is None or signatory.agreement.state != Agreement.State.OUT_FOR_SIGNATURE:
        return None
    return signing_url(signatory)


def agreement_path(agreement: Agreement, anchor: str = "") -> str:
    path = reverse("agreement_detail", args=[agreement.pk])
    return f"{path}#{anchor}" if anchor else path


def report_path(report: Report, anchor: str = "") -> str:
    path = reverse("report_detail", args=[report.pk])
    return f"{path}#{anchor}" if anchor else path


def _context(agreement: Agreement, **extra) -> dict:
    application = agreement.application
    return {
        "agreement": agreement,
        "application": application,
        "title": application.title,
        "fund": application.programme.fund.name,
        "network": application.network.name,
        **extra,
    }


def _signatory(signatory: Signatory, agreement: Agreement) -> Recipient:
    """The signatory's address; without an account, in the language the agreement is written in."""
    recipient = address(signatory.email)
    if recipient.user is None:
        recipient = dataclasses.replace(recipient, language=agreement.language)
    return recipient


def _coordinators(agreement: Agreement, *, exclude=None) -> list[Recipient]:
    return network_side(agreement.application, exclude=exclude, coordinators_only=True)


# Signing ---------------------------------------------------------------------------------------


def send_signing_links(agreement: Agreement) -> None:
    """Each signatory who has not signed yet: their own personal link, whatever they chose."""
    for signatory in agreement.signatories.filter(signed_at__isnull=True):
        notify(
            [_signatory(signatory, agreement)],
            kind="agreement.sent",
            template="agreements/email/signing_link",
            context=_context(agreement, signatory=signatory, days=max_age() // 86400),
            path=agreement_path(agreement),
            required=True,
            link_maker=SIGNING_LINK,
            link_object_id=signatory.pk,
        )


def countersigner_missing(agreement: Agreement) -> None:
    """The fund: the network has signed, and no manager may countersign (four eyes)."""
    notify(
        fund_side(agreement.application),
        kind="agreement.countersigner_missing",
        template="agreements/email/countersigner_missing",
        context=_context(agreement),
        path=agreement_path(agreement, "signatories-heading"),
        required=True,
    )


def _executed_recipients(agreement: Agreement) -> list[Recipient]:
    """Every signatory (the fund's manager who countersigned among them) and the fund's side:
    its lead officer, or else everyone at the fund. ``notify`` sends each address once."""
    return [_signatory(s, agreement) for s in agreement.signatories.all()] + fund_side(
        agreement.application
    )


def signature_recorded(signatory: Signatory, *, agreement: Agreement) -> None:
    """The fund and the coordinators hear who signed, and how many of how many.

    Never the signer (when an account has their address). The last signature executes the
    agreement: whoever receives the signed contract then hears it from that message alone.
    """
    signer = address(signatory.email).user
    recipients = fund_side(agreement.application, exclude=signer) + _coordinators(
        agreement, exclude=signer
    )
    if agreement.state == Agreement.State.EXECUTED:
        told = {r.email.lower() for r in _executed_recipients(agreement)}
        recipients = [r for r in recipients if r.email.lower() not in told]
    signatories = agreement.signatories.all()
    notify(
        recipients,
        kind="agreement.signed",
        template="agreements/email/signed",
        context=_context(
            agreement,
            signatory=signatory,
            signed=sum(1 for s in signatories if s.signed_at),
            total=len(signatories),
            waiting=", ".join(s.name for s in signatories if not s.signed_at),
        ),
        path=agreement_path(agreement, "signatories-heading"),
    )


def agreement_executed(agreement: Agreement) -> None:
    """Every signatory and the fund: the signed contract attached, with its fingerprint."""
    notify(
        _executed_recipients(agreement),
        kind="agreement.executed",
        template="agreements/email/executed",
        context=_context(agreement, verify_url=settings.SITE_URL + reverse("contract_verify")),
        path=agreement_path(agreement),
        required=True,
        attachment=Attachment(
            path=agreement.contract_pdf.name,
            filename=f"contract-{agreement.pk}.pdf",
            content_type="application/pdf",
        ),
    )


# Money -----------------------------------------------------------------------------------------


def tranche_due(tranche: Tranche) -> None:
    """The fund: a tranche is ready to pay. Also to whoever made it due: it is their to-do."""
    agreement = tranche.agreement
    notify(
        fund_side(agreement.application),
        kind="tranche.due",
        template="agreements/email/tranche_due",
        context=_context(agreement, tranche=tranche),
        path=agreement_path(agreement, f"tranche-{tranche.pk}"),
    )


def tranche_paid(tranche: Tranche, *, actor) -> None:
    """The coordinators: how much was paid, when, and the bank's reference."""
    agreement = tranche.agreement
    notify(
        _coordinators(agreement, exclude=actor),
        kind="tranche.paid",
        template="agreements/email/tranche_paid",
        context=_context(agreement, tranche=tranche),
        path=agreement_path(agreement, f"tranche-{tranche.pk}"),
    )


# Reports ---------------------------------------------------------------------------------------


def _report_context(report: Report, **extra) -> dict:
    return _context(report.agreement, report=report, **extra)


def report_submitted(report: Report, *, actor, resubmitted: bool = False) -> None:
    """The fund: a report (or a changed one) waits for its review."""
    notify(
        fund_side(report.agreement.application, exclude=actor),
        kind="report.resubmitted" if resubmitted else "report.submitted",
        template="agreements/email/report_submitted",
        context=_report_context(report, resubmitted=resubmitted),
        path=report_path(report, "review-heading"),
    )


def _network_of_report(report: Report, *, actor) -> list[Recipient]:
    """The coordinators, and the member who submitted the report if they are still a member."""
    application = report.agreement.application
    recipients = network_side(application, exclude=actor, coordinators_only=True)
    submitter = [
        r for r in network_side(application, exclude=actor) if r.user.pk == report.submitted_by_id
    ]
    return recipients + submitter


def _quoted(text: str) -> str:
    """The fund's comment as an e-mail quote, so it reads as their words, not ours."""
    return "\n".join(f"> {line}".rstrip() for line in text.strip().splitlines())


def report_changes_requested(report: Report, *, actor, comment: str) -> None:
    """The network: what the fund asks to change, in the fund's own words."""
    notify(
        _network_of_report(report, actor=actor),
        kind="report.changes_requested",
        template="agreements/email/report_changes_requested",
        context=_report_context(report, quote=_quoted(comment)),
        path=report_path(report),
    )


def report_accepted(report: Report, *, actor) -> None:
    """The network: the report is accepted; after the final one, what the fund still pays."""
    still_due = report.agreement.tranches.filter(state=Tranche.State.DUE).aggregate(
        total=Sum("amount")
    )["total"]
    notify(
        _network_of_report(report, actor=actor),
        kind="report.accepted",
        template="agreements/email/report_accepted",
        context=_report_context(report, still_due=still_due),
        path=report_path(report),
    )
