"""Driving an awarded application through its agreement with the real services."""

import io
import re
from decimal import Decimal

from django.core import mail
from PIL import Image
from pypdf import PdfWriter

from agreements import services
from agreements.signing import signing_token
from applications import services as application_services
from tests.applications.helpers import to_ready_for_decision

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


def sign_all(agreement):
    agreement.refresh_from_db()
    for signatory in agreement.signatories.all():
        services.agreement_sign(
            token=signing_token(signatory),
            typed_name=signatory.name,
            seen_sha256=agreement.frozen_sha256,
            ip_address="127.0.0.1",
            user_agent="pytest",
        )
    agreement.refresh_from_db()
    return agreement


def links_in_outbox() -> list[str]:
    return [
        re.search(r"/agreements/sign/(\S+)/", m.body).group(1)
        for m in mail.outbox
        if "/agreements/sign/" in m.body
    ]
