"""Driving an awarded application through its agreement with the real services."""

import re
from decimal import Decimal

from django.core import mail

from agreements import services
from agreements.signing import signing_token
from applications import services as application_services
from tests.applications.helpers import to_ready_for_decision

VALID_IBAN = "NL91ABNA0417164300"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


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
