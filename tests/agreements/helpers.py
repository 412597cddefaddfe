"""Driving an awarded application through its agreement with the real services."""

import io
import re
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core import mail
from PIL import Image
from pypdf import PdfWriter

from agreements import selectors, services
from agreements.models import Signatory
from agreements.signing import signing_token
from applications import services as application_services
from funds.models import FundMembership
from tests.applications.helpers import to_ready_for_decision
from tests.funds.factories import FundMembershipFactory

VALID_IBAN = "NL91ABNA0417164300"


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(buffer, "PNG")
    return buffer.getvalue()


def _pdf() -> bytes:
    writer, buffer = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=595, height=842)
    writer.write(buffer)
    return buffer.getvalue()


#: Attachments are opened, not sniffed (agreements/uploads.py): these are real files.
PNG = _png()
PDF = _pdf()


def award(world, amount="1000"):
    application = to_ready_for_decision(world)
    application_services.application_award(
        application=application, actor=world.manager, amount=Decimal(amount)
    )
    application.refresh_from_db()
    return application


def prepare_cooperation(world, **fields):
    agreement = services.agreement_prepare(
        application=world.application, actor=world.officer, arrangement="cooperation_agreement"
    )
    fields = {"payee_name": world.coordinator.username, "iban": VALID_IBAN, **fields}
    return services.agreement_update(agreement=agreement, actor=world.officer, **fields)


def send(agreement, actor, note="Checked with the network"):
    """Send, confirming what ``rules.sending_warnings`` asks (the test world's budget lines add
    up to less than the award, as a real one may)."""
    return services.agreement_send(agreement=agreement, actor=actor, note=note, confirmed=True)


def countersigning_manager(agreement):
    """A manager who may countersign: the fund's own, or a second one made for the test (the
    test world's only manager awarded the grant, so four eyes refuse her)."""
    agreement.refresh_from_db()
    manager = selectors.countersigner(agreement)
    if manager is None:
        manager = FundMembershipFactory(
            fund=agreement.application.programme.fund, role=FundMembership.Role.MANAGER
        ).user
    return manager


def sign(signatory, agreement, user=None):
    return services.agreement_sign(
        token=signing_token(signatory),
        typed_name=signatory.name,
        seen_sha256=agreement.frozen_sha256,
        ip_address="127.0.0.1",
        user_agent="pytest",
        user=user,
    )


def sign_network(agreement):
    """Every signatory of the network signs: the fund is then asked to countersign."""
    countersigning_manager(agreement)
    for signatory in agreement.signatories.exclude(role=Signatory.Role.FUND):
        if signatory.signed_at is None:
            sign(signatory, agreement)
    agreement.refresh_from_db()
    return agreement


def countersign(agreement):
    """The fund's manager signs last, signed in as themselves: the agreement is executed."""
    fund_signatory = agreement.signatories.get(role=Signatory.Role.FUND)
    user = get_user_model().objects.get(email__iexact=fund_signatory.email)
    sign(fund_signatory, agreement, user=user)
    agreement.refresh_from_db()
    return agreement


def sign_all(agreement):
    """The network signs, then the fund countersigns: executed."""
    return countersign(sign_network(agreement))


def links_in_outbox() -> list[str]:
    return [
        re.search(r"/agreements/sign/(\S+)/", m.body).group(1)
        for m in mail.outbox
        if "/agreements/sign/" in m.body
    ]
