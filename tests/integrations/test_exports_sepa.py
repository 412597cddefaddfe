"""The SEPA batch: every due tranche of the fund, as a valid pain.001.001.09 credit transfer."""

import datetime
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from agreements.models import Tranche
from integrations.exports import sepa
from tests.agreements.helpers import VALID_IBAN, award
from tests.integrations.test_exports_360giving import execute, grants_world

pytestmark = pytest.mark.django_db

NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"}
FUND_IBAN = "NL02ABNA0123456789"
PAY_ON = datetime.date(2030, 1, 15)


@pytest.fixture
def executed(world):
    world.application = award(world, "1000")
    world.agreement = execute(world, "cooperation_agreement", payee_name="Coco Ordinator")
    return world


def parse(xml: bytes):
    return ET.fromstring(xml)


def test_due_tranches_are_the_due_ones_of_the_funds_executed_agreements(world):
    w = grants_world(world)
    due = list(sepa.due_tranches(w.fund))
    # 80% on signing for each executed money agreement; the 20% waits for the final report.
    assert {(t.agreement_id, t.number) for t in due} == {
        (w.cooperation_agreement.pk, 1),
        (w.entity_agreement.pk, 1),
        (w.hosted_agreement.pk, 1),
    }
    assert all(t.state == Tranche.State.DUE for t in due)


def test_the_batch_pays_each_due_tranche_to_the_payee(executed):
    first = executed.agreement.tranches.get(number=1)
    xml = sepa.credit_transfer(
        fund=executed.fund,
        debtor_iban=FUND_IBAN,
        debtor_bic="ABNANL2A",
        execution_date=PAY_ON,
        tranches=sepa.due_tranches(executed.fund),
    )
    root = parse(xml)
    assert root.tag == "{urn:iso:std:iso:20022:tech:xsd:pain.001.001.09}Document"
    assert root.findtext(".//p:GrpHdr/p:NbOfTxs", namespaces=NS) == "1"
    assert root.findtext(".//p:GrpHdr/p:CtrlSum", namespaces=NS) == "800.00"
    assert root.findtext(".//p:Dbtr/p:Nm", namespaces=NS) == executed.fund.name
    assert root.findtext(".//p:DbtrAcct/p:Id/p:IBAN", namespaces=NS) == FUND_IBAN
    assert root.findtext(".//p:DbtrAgt//p:BICFI", namespaces=NS) == "ABNANL2A"
    assert root.findtext(".//p:ReqdExctnDt/p:Dt", namespaces=NS) == "2030-01-15"
    (payment,) = root.findall(".//p:CdtTrfTxInf", NS)
    assert payment.findtext("p:PmtId/p:EndToEndId", namespaces=NS) == (
        f"EW-{executed.agreement.pk}-1"
    )
    assert payment.find("p:Amt/p:InstdAmt", NS).attrib == {"Ccy": "EUR"}
    assert payment.findtext("p:Amt/p:InstdAmt", namespaces=NS) == f"{first.amount:.2f}"
    assert payment.findtext("p:Cdtr/p:Nm", namespaces=NS) == "Coco Ordinator"
    assert payment.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=NS) == VALID_IBAN
    assert payment.findtext("p:RmtInf/p:Ustrd", namespaces=NS) == (
        f"Eigenwijs {executed.agreement.pk} tranche 1"
    )


def test_making_the_batch_marks_nothing_paid(executed):
    sepa.credit_transfer(
        fund=executed.fund,
        debtor_iban=FUND_IBAN,
        execution_date=timezone.localdate(),
        tranches=sepa.due_tranches(executed.fund),
    )
    states = dict(executed.agreement.tranches.values_list("number", "state"))
    assert states == {1: Tranche.State.DUE, 2: Tranche.State.PLANNED}


def test_amounts_go_to_the_bank_in_whole_cents(executed):
    tranche = executed.agreement.tranches.get(number=1)
    Tranche.objects.filter(pk=tranche.pk).update(amount=Decimal("1234.56"))
    xml = sepa.credit_transfer(
        fund=executed.fund,
        debtor_iban=FUND_IBAN,
        execution_date=PAY_ON,
        tranches=sepa.due_tranches(executed.fund),
    )
    assert parse(xml).findtext(".//p:CdtTrfTxInf/p:Amt/p:InstdAmt", namespaces=NS) == "1234.56"


def test_ibans_and_bics_are_checked_and_compacted():
    assert sepa.clean_iban("nl91 abna 0417 1643 00") == VALID_IBAN
    assert sepa.clean_bic("abna nl 2a") == "ABNANL2A"
    for bad in ("NL91ABNA0417164301", "not an iban", ""):
        with pytest.raises(ValidationError):
            sepa.clean_iban(bad)
    with pytest.raises(ValidationError):
        sepa.clean_bic("ABN")
