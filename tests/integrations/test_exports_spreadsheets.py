"""The CSV exports: UTF-8 with a BOM, decimal points, only the fund's rows, no formulas."""

import csv
import io

import pytest

from agreements import services as agreement_services
from applications.models import Application
from integrations.exports import spreadsheets
from tests.agreements.helpers import VALID_IBAN, award, prepare_cooperation
from tests.integrations.test_exports_360giving import applicant, execute

pytestmark = pytest.mark.django_db


def read(chunks) -> tuple[str, list[dict]]:
    text = "".join(chunks)
    return text, list(csv.DictReader(io.StringIO(text.removeprefix(spreadsheets.BOM))))


def applications_csv(fund):
    return read(
        spreadsheets.stream_csv(
            spreadsheets.APPLICATION_COLUMNS, spreadsheets.application_rows(fund)
        )
    )


def tranches_csv(fund):
    return read(
        spreadsheets.stream_csv(spreadsheets.TRANCHE_COLUMNS, spreadsheets.tranche_rows(fund))
    )


def test_applications_csv_starts_with_a_bom_and_a_fixed_header(world):
    text, rows = applications_csv(world.fund)
    assert text.startswith("\ufeffid,title,programme,network,")
    assert text.encode("utf-8").startswith(b"\xef\xbb\xbfid,")
    assert [row["id"] for row in rows] == [str(world.application.pk)]


def test_applications_csv_has_every_application_of_the_fund_and_no_other(world):
    world.application = award(world, "1234.5")
    other = applicant(world, title="Café “Oost” €", members=1)
    elsewhere = Application.objects.exclude(programme__fund=world.fund)
    assert not elsewhere.exists()
    _text, rows = applications_csv(world.fund)
    by_id = {row["id"]: row for row in rows}
    assert set(by_id) == {str(world.application.pk), str(other.application.pk)}
    awarded = by_id[str(world.application.pk)]
    assert awarded["state"] == "awarded"
    assert awarded["requested_amount"] == "1000.00"
    assert awarded["awarded_amount"] == "1234.50"
    assert awarded["currency"] == "EUR"
    assert awarded["decided_at"].startswith(str(world.application.decided_at.year))
    drafting = by_id[str(other.application.pk)]
    assert drafting["title"] == "Café “Oost” €"
    assert drafting["awarded_amount"] == "" and drafting["decided_at"] == ""


def test_a_text_that_looks_like_a_formula_is_defused(world):
    Application.objects.filter(pk=world.application.pk).update(title='=HYPERLINK("x")')
    world.network.name = "+31 buren"
    world.network.save()
    _text, (row,) = applications_csv(world.fund)
    assert row["title"] == '\'=HYPERLINK("x")'
    assert row["network"] == "'+31 buren"


def test_tranches_csv_has_the_funds_tranches_with_payee_and_state(world):
    world.application = award(world, "1000")
    agreement = execute(world, "cooperation_agreement", payee_name="Coco Ordinator")
    _text, rows = tranches_csv(world.fund)
    assert [(row["number"], row["amount"], row["state"]) for row in rows] == [
        ("1", "800.00", "due"),
        ("2", "200.00", "planned"),
    ]
    first = rows[0]
    assert first["agreement_id"] == str(agreement.pk)
    assert first["agreement_state"] == "executed"
    assert first["application_title"] == "Garden"
    assert first["arrangement"] == "cooperation_agreement"
    assert first["becomes_due"] == "on_signing"
    assert first["payee_name"] == "Coco Ordinator" and first["iban"] == VALID_IBAN
    assert first["due_at"] and not first["paid_on"]


def test_tranches_of_a_cancelled_agreement_are_left_out(world):
    world.application = award(world, "1000")
    agreement = prepare_cooperation(world)
    assert len(tranches_csv(world.fund)[1]) == 2  # a draft's tranches are listed
    agreement_services.agreement_cancel(agreement=agreement, actor=world.officer)
    assert tranches_csv(world.fund)[1] == []


def test_rows_are_read_with_a_fixed_number_of_queries(world, django_assert_num_queries):
    world.application = award(world, "1000")
    execute(world, "cooperation_agreement", payee_name="Coco Ordinator")
    for number in range(3):
        applicant(world, title=f"More {number}", members=1)
    with django_assert_num_queries(1):
        assert len(list(spreadsheets.application_rows(world.fund))) == 4
    with django_assert_num_queries(1):
        assert len(list(spreadsheets.tranche_rows(world.fund))) == 2
