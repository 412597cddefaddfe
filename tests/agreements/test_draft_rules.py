"""The rules of a draft are the services': any caller with bad data gets field errors, never an
IntegrityError, and a refused save changes nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from agreements import services
from agreements.models import Agreement
from tests.agreements.helpers import VALID_IBAN, award, prepare_cooperation

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(world):
    world.application = award(world)
    return prepare_cooperation(world)


def snapshot(agreement: Agreement) -> tuple:
    agreement.refresh_from_db()
    return (
        agreement.purpose,
        agreement.iban,
        agreement.kvk_number,
        list(agreement.signatories.values_list("name", "email")),
        list(agreement.tranches.values_list("number", "amount", "trigger")),
    )


PEOPLE = [
    {"role": "coordinator", "name": "Cor Dinator", "email": "cor@example.org"},
    {"role": "member", "name": "Mem Ber", "email": "mem@example.org"},
]


def refused(call, **kwargs) -> dict:
    with pytest.raises(ValidationError) as error:
        call(**kwargs)
    return error.value.message_dict


def test_two_signatories_with_the_same_email_are_refused_by_the_service(world, draft):
    before = snapshot(draft)
    twice = [PEOPLE[0], {**PEOPLE[1], "email": " COR@example.org"}]
    errors = refused(
        services.agreement_set_signatories, agreement=draft, actor=world.officer, signatories=twice
    )
    assert list(errors) == ["signatories"]
    assert snapshot(draft) == before


def test_a_bad_signatory_row_is_named_by_its_place(world, draft):
    rows = [PEOPLE[0], {**PEOPLE[1], "email": "not an address"}, {"role": "member"}]
    errors = refused(
        services.agreement_set_signatories, agreement=draft, actor=world.officer, signatories=rows
    )
    assert "signatories[1].email" in errors
    assert {"signatories[2].name", "signatories[2].email"} <= set(errors)
    errors = refused(
        services.agreement_set_signatories,
        agreement=draft,
        actor=world.officer,
        signatories=[{**PEOPLE[0], "signed_at": "now"}, "Cor"],
    )
    assert set(errors) == {"signatories[0].signed_at", "signatories[1]"}


def test_saving_a_draft_with_a_bad_iban_is_refused_and_saves_nothing(world, draft):
    before = snapshot(draft)
    errors = refused(
        services.agreement_save_draft,
        agreement=draft,
        actor=world.officer,
        fields={"iban": "NL00BANK0123456789", "purpose": "Changed"},
        signatories=PEOPLE,
        tranches=[{"amount": "1000", "trigger": "on_signing"}],
    )
    assert list(errors) == ["iban"]
    assert snapshot(draft) == before


def test_every_problem_of_a_draft_comes_back_at_once(world, draft):
    before = snapshot(draft)
    errors = refused(
        services.agreement_save_draft,
        agreement=draft,
        actor=world.officer,
        fields={"iban": "nonsense", "final_report_due": "31-02-2027", "amount": "5"},
        signatories=[PEOPLE[0], PEOPLE[0]],
        tranches=[{"amount": "0", "trigger": "on_signing"}, {"amount": "1.234", "trigger": "x"}],
    )
    assert set(errors) == {
        "iban",
        "final_report_due",
        "amount",  # not editable
        "signatories",
        "tranches[0].amount",
        "tranches[1].amount",
        "tranches[1].trigger",
    }
    assert snapshot(draft) == before


@pytest.mark.parametrize(
    "amount", ["0", "-5", "1.001", "abc", None, "NaN", "Infinity", "10000000000"]
)
def test_a_tranche_amount_the_database_would_refuse_is_a_field_error(world, draft, amount):
    before = snapshot(draft)
    errors = refused(
        services.agreement_set_tranches,
        agreement=draft,
        actor=world.officer,
        tranches=[{"amount": amount, "trigger": "on_signing"}],
    )
    assert list(errors) == ["tranches[0].amount"]
    assert snapshot(draft) == before


def test_a_kvk_number_is_checked_when_the_draft_is_saved(world, draft):
    errors = refused(
        services.agreement_update, agreement=draft, actor=world.officer, kvk_number="1234"
    )
    assert list(errors) == ["kvk_number"]
    agreement = services.agreement_update(
        agreement=draft, actor=world.officer, kvk_number=" 1234 5678 "
    )
    assert agreement.kvk_number == "12345678"


def test_an_iban_typed_with_spaces_is_kept_compact(world, draft):
    services.agreement_update(
        agreement=draft, actor=world.officer, iban="nl91 abna 0417 1643 00", payee_name="A. B."
    )
    draft.refresh_from_db()
    assert draft.iban == VALID_IBAN
    services.agreement_update(agreement=draft, actor=world.officer, iban="")
    draft.refresh_from_db()
    assert draft.iban == ""  # a draft may still be incomplete


def test_dates_and_texts_are_checked_by_the_model(world, draft):
    errors = refused(
        services.agreement_update,
        agreement=draft,
        actor=world.officer,
        final_report_due=None,
        host_representative_email="nobody",
        language="de",
        payee_name="x" * 201,
    )
    assert set(errors) == {
        "final_report_due",
        "host_representative_email",
        "language",
        "payee_name",
    }
    services.agreement_update(
        agreement=draft, actor=world.officer, final_report_due=datetime.date(2027, 12, 1)
    )
