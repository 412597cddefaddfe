"""Issue 14: contracts a person can trust.

The text states the network's real legal form for each arrangement; sending asks what a person
would ask (blocking or with a confirmation note); a manager of the fund countersigns last, never
the one who awarded or prepared; the executed PDF goes to everyone; the PDF is tagged.
"""

import io
import re
from decimal import Decimal
from http import HTTPStatus

import pypdf
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django_fsm_log.models import StateLog

from agreements import permissions, rules, selectors, services
from agreements.forms import AgreementForm
from agreements.models import Agreement, Signatory
from agreements.pdf import render_contract_pdf, sha256_hex
from agreements.signing import signing_token
from agreements.text import render_agreement_html
from agreements.verification import verify_contract
from applications.models import Network
from funds.models import FundMembership
from notifications.models import Notification
from tests.agreements.helpers import (
    VALID_IBAN,
    award,
    countersign,
    countersigning_manager,
    prepare_cooperation,
    send,
    sign,
    sign_all,
    sign_network,
)
from tests.funds.factories import FundMembershipFactory

pytestmark = pytest.mark.django_db

KVK = "12345678"


@pytest.fixture
def awarded(world):
    for flag in ("legal_entity", "cooperation_agreement", "host_organisation", "support_only"):
        setattr(world.programme, f"accepts_{flag}", True)
    world.programme.save()
    world.application = award(world)
    return world


def set_legal_form(world, status, kvk=""):
    Network.objects.filter(pk=world.network.pk).update(legal_status=status, kvk_number=kvk)
    world.network.refresh_from_db()
    world.application.network.refresh_from_db()


def prepared(world, arrangement, language="nl", **fields):
    agreement = services.agreement_prepare(
        application=world.application, actor=world.officer, arrangement=arrangement
    )
    details = {"language": language}
    if arrangement != "support_only":
        details.update(payee_name="Buurtkas", iban=VALID_IBAN)
    if arrangement in ("legal_entity", "host_organisation"):
        details["kvk_number"] = KVK
    if arrangement == "host_organisation":
        details.update(
            host_name="Wijkcentrum De Linde",
            host_representative_name="Henk Host",
            host_representative_email="henk@example.org",
        )
    details.update(fields)
    return services.agreement_update(agreement=agreement, actor=world.officer, **details)


# 1. The text fits the arrangement and the network's legal form -------------------------------


@pytest.mark.parametrize(
    ("status", "kvk", "arrangement", "language", "says", "never"),
    [
        (
            "association",
            KVK,
            "cooperation_agreement",
            "nl",
            f"Het netwerk is een vereniging, ingeschreven bij de Kamer van Koophandel onder "
            f"nummer {KVK}. Toch tekenen voor deze bijdrage deze mensen samen",
            "geen stichting of vereniging",
        ),
        (
            "none",
            "",
            "cooperation_agreement",
            "nl",
            "Het netwerk heeft geen stichting of vereniging. Daarom tekenen deze mensen samen.",
            "Het netwerk is een",
        ),
        (
            "foundation",
            KVK,
            "host_organisation",
            "nl",
            f"Het netwerk is een stichting, ingeschreven bij de Kamer van Koophandel onder "
            f"nummer {KVK}. Toch ontvangt voor deze bijdrage de organisatie Wijkcentrum De Linde",
            "geen stichting of vereniging",
        ),
        (
            "none",
            "",
            "host_organisation",
            "nl",
            "Het netwerk heeft geen stichting of vereniging. De organisatie Wijkcentrum De Linde",
            "Toch",
        ),
        (
            "association",
            KVK,
            "legal_entity",
            "nl",
            f"Het netwerk is een vereniging, ingeschreven bij de Kamer van Koophandel onder "
            f"nummer {KVK}. Het fonds betaalt",
            "geen stichting of vereniging",
        ),
        (
            "association",
            KVK,
            "support_only",
            "nl",
            f"Het netwerk is een vereniging, ingeschreven bij de Kamer van Koophandel onder "
            f"nummer {KVK}. Bij deze afspraak gaat er geen geld naar het netwerk.",
            "geen stichting of vereniging",
        ),
        (
            "none",
            "",
            "support_only",
            "nl",
            "Het netwerk heeft geen stichting of vereniging. Bij deze afspraak gaat er geen geld",
            "Het netwerk is een",
        ),
        (
            "association",
            KVK,
            "cooperation_agreement",
            "en",
            f"The network is an association, registered with the Chamber of Commerce (KvK) "
            f"under number {KVK}. Even so, for this grant these people sign together",
            "no foundation or association",
        ),
        (
            "foundation",
            "",
            "host_organisation",
            "en",
            "The network is a foundation. Even so, for this grant the organisation",
            "no foundation or association",
        ),
        (
            "none",
            "",
            "support_only",
            "en",
            "The network has no foundation or association. Under this agreement no money moves",
            "The network is a",
        ),
    ],
)
def test_the_text_states_the_networks_legal_form_for_each_arrangement(
    awarded, status, kvk, arrangement, language, says, never
):
    set_legal_form(awarded, status, kvk)
    agreement = prepared(awarded, arrangement, language)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", render_agreement_html(agreement)))
    text = text.replace(" .", ".").replace(" ,", ",")
    assert says in text
    assert never not in text


def test_the_text_says_the_fund_countersigns_last(awarded):
    agreement = prepared(awarded, "cooperation_agreement")
    text = render_agreement_html(agreement)
    assert "Daarna tekent een manager van" in text
    assert "ook het fonds" in text
    assert agreement.template_version == "v2"


def test_hours_in_the_contract_read_as_dutch_hours(awarded):
    agreement = prepared(awarded, "cooperation_agreement")
    Agreement.objects.filter(pk=agreement.pk).update(
        budget_lines=[
            {"description": "Coaching", "amount": "0", "in_kind": True, "hours": "12.00"},
            {"description": "Seeds", "amount": "1000.00", "in_kind": False},
        ]
    )
    agreement.refresh_from_db()
    text = render_agreement_html(agreement)
    assert "12 uur" in text and "12.00" not in text
    assert "€ 1.000,00" in text


# 2. Checks before sending ---------------------------------------------------------------------


def test_budget_lines_far_below_the_award_must_be_confirmed_with_a_note(awarded):
    set_legal_form(awarded, "none")
    agreement = prepare_cooperation(awarded)  # € 350 of money lines, € 1,000 awarded
    warnings = rules.sending_warnings(agreement)
    assert set(warnings) == {"budget_lines"}
    assert "350.00" in warnings["budget_lines"] and "1,000.00" in warnings["budget_lines"]
    with pytest.raises(ValidationError) as refused:
        services.agreement_send(agreement=agreement, actor=awarded.officer)
    assert set(refused.value.message_dict) == {"confirmed", "note"}
    with pytest.raises(ValidationError) as refused:
        services.agreement_send(agreement=agreement, actor=awarded.officer, confirmed=True)
    assert set(refused.value.message_dict) == {"note"}
    agreement.refresh_from_db()
    assert agreement.state == Agreement.State.DRAFT

    services.agreement_send(
        agreement=agreement, actor=awarded.officer, confirmed=True, note="Only seeds funded"
    )
    agreement.refresh_from_db()
    assert agreement.state == Agreement.State.OUT_FOR_SIGNATURE
    history = StateLog.objects.for_(agreement).get(transition="send").description
    assert history.startswith("Only seeds funded\nConfirmed before sending:")
    assert warnings["budget_lines"] in history


def test_budget_lines_that_match_the_award_ask_nothing(awarded):
    agreement = prepare_cooperation(awarded)
    Agreement.objects.filter(pk=agreement.pk).update(
        budget_lines=[
            {"description": "Seeds", "amount": "600", "in_kind": False},
            {"description": "Tools", "amount": "400.00", "in_kind": False},
            {"description": "Help", "amount": "200", "in_kind": True},
        ]
    )
    agreement.refresh_from_db()
    assert rules.sending_warnings(agreement) == {}
    services.agreement_send(agreement=agreement, actor=awarded.officer)
    agreement.refresh_from_db()
    assert agreement.state == Agreement.State.OUT_FOR_SIGNATURE


def test_an_association_without_its_own_agreement_must_be_confirmed(awarded):
    set_legal_form(awarded, "association", KVK)
    agreement = prepare_cooperation(awarded)
    warning = rules.sending_warnings(agreement)["arrangement"]
    assert "an association" in warning


def test_a_legal_entity_agreement_with_an_informal_network_must_be_confirmed(awarded):
    set_legal_form(awarded, "none")
    agreement = prepared(awarded, "legal_entity")
    assert "without a foundation or association" in rules.sending_warnings(agreement)["arrangement"]
    set_legal_form(awarded, "foundation", KVK)
    agreement = Agreement.objects.get(pk=agreement.pk)
    assert "arrangement" not in rules.sending_warnings(agreement)


def test_support_only_fits_any_legal_form(awarded):
    set_legal_form(awarded, "association", KVK)
    agreement = prepared(awarded, "support_only")
    assert rules.sending_warnings(agreement) == {}


def test_a_signatory_without_a_valid_email_blocks_sending(awarded):
    agreement = prepare_cooperation(awarded)
    Signatory.objects.filter(agreement=agreement, email=awarded.member.email).update(
        email="not-an-address"
    )
    errors = rules.sending_errors(agreement)
    assert any("no valid e-mail address" in message for message in errors["signatories"])
    with pytest.raises(ValidationError):
        send(agreement, awarded.officer)  # a confirmation does not help: it blocks
    agreement.refresh_from_db()
    assert agreement.state == Agreement.State.DRAFT


def test_the_checklist_says_iban_and_gives_dutch_amounts(client, awarded):
    agreement = services.agreement_prepare(
        application=awarded.application, actor=awarded.officer, arrangement="cooperation_agreement"
    )
    services.agreement_set_tranches(
        agreement=agreement,
        actor=awarded.officer,
        tranches=[{"amount": "600", "trigger": "on_signing"}],
    )
    with translation.override("nl"):
        errors = rules.sending_errors(agreement)
    assert "€\xa0600,00" in errors["tranches"][0] and "€\xa01.000,00" in errors["tranches"][0]
    client.force_login(awarded.officer)
    page = client.get(f"/agreements/{agreement.pk}/").content.decode()
    assert "<strong>IBAN</strong>" in page and "Iban" not in page


# 7. One rule for the IBAN ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arrangement", "whose"),
    [
        ("cooperation_agreement", "the member who receives the money"),
        ("host_organisation", "the host organisation"),
        ("legal_entity", "foundation or association"),
    ],
)
def test_the_iban_is_marked_needed_before_sending_and_says_whose(awarded, arrangement, whose):
    agreement = prepared(awarded, arrangement, iban="", payee_name="")
    form = AgreementForm(agreement=agreement)
    assert form.fields["iban"].label == "IBAN"
    assert form.fields["iban"].required  # no "(optional)" beside it
    assert "Needed before sending" in str(form.fields["iban"].help_text)
    assert whose in str(form.fields["iban"].help_text)
    assert "required" not in str(form["iban"])  # a draft may still be saved without it
    # The checklist agrees: it is required before sending.
    assert "iban" in rules.sending_errors(agreement)
    assert rules.iban_needed(agreement)


def test_support_only_has_no_iban_at_all(awarded):
    agreement = prepared(awarded, "support_only")
    assert "iban" not in AgreementForm(agreement=agreement).fields
    assert not rules.iban_needed(agreement) and "iban" not in rules.sending_errors(agreement)


def test_a_draft_saves_without_an_iban(client, awarded):
    agreement = prepare_cooperation(awarded, iban="", payee_name="")
    assert agreement.iban == ""


# 3. The fund signs too, last, with four eyes ---------------------------------------------------


@pytest.fixture
def out(awarded):
    awarded.second_manager = countersigning_manager(prepare_cooperation(awarded))
    agreement = Agreement.objects.get()
    send(agreement, awarded.officer)
    agreement.refresh_from_db()
    return agreement


def test_the_networks_signatures_ask_the_fund_to_countersign(
    awarded, out, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        agreement = sign_network(out)
    assert agreement.state == Agreement.State.OUT_FOR_SIGNATURE
    fund = agreement.signatories.get(role=Signatory.Role.FUND)
    assert fund.email == awarded.second_manager.email and fund.link_nonce
    [link] = [m for m in mailoutbox if awarded.second_manager.email in m.to and "/sign/" in m.body]
    assert f"/agreements/sign/{signing_token(fund)}/" in link.body
    assert "countersign it for" in link.body
    agreement = countersign(agreement)
    assert agreement.state == Agreement.State.EXECUTED
    assert agreement.executed_at >= fund.agreement.sent_at


def test_the_fund_cannot_sign_before_the_network(awarded, out):
    assert not out.signatories.filter(role=Signatory.Role.FUND).exists()
    with pytest.raises(ValidationError) as refused:
        services.agreement_save_draft(
            agreement=prepare_cooperation_again(awarded),
            actor=awarded.officer,
            signatories=[{"role": "fund", "name": "Max", "email": awarded.manager.email}],
        )
    assert "signatories[0].role" in refused.value.message_dict


def prepare_cooperation_again(world):
    services.agreement_cancel(agreement=Agreement.objects.get(), actor=world.officer)
    return prepare_cooperation(world)


def test_the_awarding_manager_is_refused_on_the_fund_link(client, awarded, out):
    agreement = sign_network(out)
    fund = agreement.signatories.get(role=Signatory.Role.FUND)
    # The link reaches the manager who awarded the grant (forwarded): she is refused.
    client.force_login(awarded.manager)
    url = f"/agreements/sign/{signing_token(fund)}/"
    response = client.get(url)
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "Four eyes" in response.content.decode()
    response = client.post(
        url, {"typed_name": fund.name, "confirm": "on", "seen_sha256": agreement.frozen_sha256}
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    agreement.refresh_from_db()
    fund.refresh_from_db()
    assert agreement.state == Agreement.State.OUT_FOR_SIGNATURE and fund.signed_at is None


def test_a_named_countersigner_who_awarded_is_refused_by_the_service(awarded, out):
    agreement = sign_network(out)
    Signatory.objects.filter(agreement=agreement, role=Signatory.Role.FUND).update(
        email=awarded.manager.email, name="Max"
    )
    fund = agreement.signatories.get(role=Signatory.Role.FUND)
    with pytest.raises(PermissionDenied, match="Four eyes"):
        sign(fund, agreement, user=awarded.manager)
    agreement.refresh_from_db()
    assert agreement.state == Agreement.State.OUT_FOR_SIGNATURE


def test_the_preparing_manager_may_not_countersign(awarded):
    preparer = countersigning_manager(prepare_cooperation(awarded))
    services.agreement_cancel(agreement=Agreement.objects.get(), actor=awarded.officer)
    agreement = services.agreement_prepare(
        application=awarded.application, actor=preparer, arrangement="cooperation_agreement"
    )
    agreement = services.agreement_update(
        agreement=agreement, actor=preparer, payee_name="Buurtkas", iban=VALID_IBAN
    )
    # The awarder and the preparer are the only managers: nobody may countersign.
    assert selectors.countersigner(agreement) is None
    send(agreement, preparer)
    agreement.refresh_from_db()
    for signatory in agreement.signatories.all():
        sign(signatory, agreement)
    agreement.refresh_from_db()
    assert agreement.state == Agreement.State.OUT_FOR_SIGNATURE
    assert not agreement.signatories.filter(role=Signatory.Role.FUND).exists()
    assert Notification.objects.filter(kind="agreement.countersigner_missing").exists()


def test_an_officer_asks_again_once_a_second_manager_has_joined(client, awarded):
    preparer = countersigning_manager(prepare_cooperation(awarded))
    services.agreement_cancel(agreement=Agreement.objects.get(), actor=awarded.officer)
    agreement = services.agreement_prepare(
        application=awarded.application, actor=preparer, arrangement="cooperation_agreement"
    )
    services.agreement_update(
        agreement=agreement, actor=preparer, payee_name="Buurtkas", iban=VALID_IBAN
    )
    send(agreement, preparer)
    agreement.refresh_from_db()
    for signatory in agreement.signatories.all():
        sign(signatory, agreement)
    assert selectors.waits_for_countersigner(agreement)
    url = f"/agreements/{agreement.pk}/countersign/"
    # The network may not ask; the officer may, but nobody is there to ask yet.
    client.force_login(awarded.coordinator)
    assert client.post(url).status_code == HTTPStatus.FORBIDDEN
    client.force_login(awarded.officer)
    page = client.get(f"/agreements/{agreement.pk}/").content.decode()
    # Nobody may countersign yet: the page says why and offers no button the service refuses.
    assert "A second manager is needed" in page
    assert "Ask a manager to countersign" not in page
    response = client.post(url, follow=True)
    assert "Still no manager of the fund may countersign" in response.content.decode()
    third = FundMembershipFactory(fund=awarded.fund, role=FundMembership.Role.MANAGER).user
    page = client.get(f"/agreements/{agreement.pk}/").content.decode()
    assert "Ask a manager to countersign" in page
    client.post(url)
    fund = agreement.signatories.get(role=Signatory.Role.FUND)
    assert fund.email == third.email
    assert not selectors.waits_for_countersigner(agreement)


def test_an_officer_or_a_stranger_cannot_countersign(client, awarded, out):
    agreement = sign_network(out)
    fund = agreement.signatories.get(role=Signatory.Role.FUND)
    url = f"/agreements/sign/{signing_token(fund)}/"
    response = client.get(url)  # not signed in: asked to sign in first
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "Sign in as" in response.content.decode()
    client.force_login(awarded.officer)
    response = client.get(url)
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "Only a manager" in response.content.decode()
    other = FundMembershipFactory(fund=awarded.fund, role=FundMembership.Role.MANAGER).user
    client.force_login(other)
    response = client.get(url)
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "This link is for" in response.content.decode()


def test_the_countersigner_signs_in_the_browser_flow(client, awarded, out):
    agreement = sign_network(out)
    fund = agreement.signatories.get(role=Signatory.Role.FUND)
    client.force_login(awarded.second_manager)
    url = f"/agreements/sign/{signing_token(fund)}/"
    page = client.get(url)
    assert page.status_code == HTTPStatus.OK
    assert "agree to it on behalf of the fund" in page.content.decode()
    response = client.post(
        url, {"typed_name": fund.name, "confirm": "on", "seen_sha256": agreement.frozen_sha256}
    )
    assert response.status_code == HTTPStatus.OK
    assert "the fund last" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.state == Agreement.State.EXECUTED


# 3 and 5. The PDF: both sides' signatures with date and time; tagged; still verifiable ---------


def pdf_of(agreement):
    data = agreement.contract_pdf.open("rb").read()
    return data, pypdf.PdfReader(io.BytesIO(data))


def test_the_contract_shows_both_sides_signatures_with_date_and_time(awarded, out):
    agreement = sign_all(out)
    data, reader = pdf_of(agreement)
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Voor het netwerk" in text and "Voor het fonds" in text
    fund = agreement.signatories.get(role=Signatory.Role.FUND)
    assert fund.name in text and "manager van het fonds" in text
    stamps = re.findall(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} CES?T", text)
    assert len(stamps) == agreement.signatories.count() == 3


def test_the_contract_pdf_is_tagged_with_language_and_title(awarded, out):
    agreement = sign_all(out)
    data, reader = pdf_of(agreement)
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "nl"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata.title.startswith(f"Overeenkomst #{agreement.pk}")
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfuaid:part="1"' in xmp
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="A"' in xmp
    # Tamper evidence still holds: the stored hash is the file's, and finds the agreement.
    assert sha256_hex(data) == agreement.contract_sha256
    assert verify_contract(data) == agreement
    assert verify_contract(data + b"\n") is None


def test_the_tagged_pdf_is_still_byte_identical_for_the_same_data(awarded, out):
    agreement = sign_all(out)
    assert render_contract_pdf(agreement) == render_contract_pdf(agreement)


# 4. Everyone, the fund included, receives the executed PDF -------------------------------------


def test_the_executed_pdf_goes_to_the_countersigner_and_the_lead_officer(
    awarded, out, mailoutbox, django_capture_on_commit_callbacks
):
    awarded.application.lead_officer = awarded.officer
    awarded.application.save(update_fields=["lead_officer"])
    with django_capture_on_commit_callbacks(execute=True):
        agreement = sign_all(out)
    contract = agreement.contract_pdf.open("rb").read()
    executed = [m for m in mailoutbox if "signed by everyone" in m.subject]
    receivers = {address for m in executed for address in m.to}
    expected = {
        awarded.coordinator.email,
        awarded.member.email,
        awarded.second_manager.email,  # the fund's countersigner
        awarded.officer.email,  # the fund's lead officer
    }
    assert receivers == expected
    for message in executed:
        [(name, content, content_type)] = message.attachments
        assert name == f"contract-{agreement.pk}.pdf" and content_type == "application/pdf"
        assert content == contract


def test_when_the_fund_has_no_lead_officer_every_manager_gets_the_pdf(
    awarded, out, mailoutbox, django_capture_on_commit_callbacks
):
    awarded.application.lead_officer = None
    awarded.application.save(update_fields=["lead_officer"])
    with django_capture_on_commit_callbacks(execute=True):
        sign_all(out)
    executed = [m for m in mailoutbox if "signed by everyone" in m.subject]
    receivers = {address for m in executed for address in m.to}
    assert {awarded.manager.email, awarded.second_manager.email} <= receivers
    assert all(len(m.attachments) == 1 for m in executed)


def test_amounts_in_send_warnings_follow_the_language(awarded):
    agreement = prepare_cooperation(awarded)
    with translation.override("nl"):
        warning = rules.sending_warnings(agreement)["budget_lines"]
    assert "€\xa0350,00" in warning and "€\xa01.000,00" in warning
    assert Decimal("350") == rules.money_lines_total(agreement.budget_lines)


def test_a_manager_who_signs_for_the_network_is_never_the_funds_signature_too(awarded):
    agreement = prepare_cooperation(awarded)
    second = countersigning_manager(agreement)
    # The second manager is also named for the network (another case of the same address).
    services.agreement_save_draft(
        agreement=agreement,
        actor=awarded.officer,
        signatories=[
            {"role": "coordinator", "name": "Co", "email": awarded.coordinator.email},
            {"role": "member", "name": "Sec", "email": second.email.upper()},
        ],
    )
    agreement.refresh_from_db()
    assert "for the network" in permissions.countersign_refusal(agreement, second)
    assert selectors.countersigner(agreement) is None
    send(agreement, awarded.officer)
    agreement.refresh_from_db()
    for signatory in agreement.signatories.all():
        sign(signatory, agreement)
    agreement.refresh_from_db()
    # No crash on the last network signature, no fund row for the same person: it waits.
    assert agreement.state == Agreement.State.OUT_FOR_SIGNATURE
    assert not agreement.signatories.filter(role=Signatory.Role.FUND).exists()


def test_asking_again_replaces_the_funds_unsigned_link(client, awarded, out):
    agreement = sign_network(out)
    first = agreement.signatories.get(role=Signatory.Role.FUND)
    old_token = signing_token(first)
    url = f"/agreements/{agreement.pk}/countersign/"
    client.force_login(awarded.coordinator)
    assert client.post(url).status_code == HTTPStatus.FORBIDDEN
    # The manager asked left the fund: the officer asks again and another manager is chosen.
    FundMembership.objects.filter(user=awarded.second_manager).delete()
    other = FundMembershipFactory(fund=awarded.fund, role=FundMembership.Role.MANAGER).user
    client.force_login(awarded.officer)
    assert (
        "Ask a manager to countersign"
        in client.get(f"/agreements/{agreement.pk}/").content.decode()
    )
    client.post(url)
    fund = agreement.signatories.get(role=Signatory.Role.FUND)
    assert fund.email == other.email and fund.signed_at is None
    stale = client.get(f"/agreements/sign/{old_token}/")
    assert "agreements/sign_invalid.html" in [t.name for t in stale.templates]
    assert countersign(agreement).state == Agreement.State.EXECUTED


def test_an_agreement_sent_with_the_v1_text_takes_effect_when_the_network_has_signed(out):
    # v1 promised effect "when everyone listed has signed", with no fund signature in it.
    Agreement.objects.filter(pk=out.pk).update(template_version="v1")
    out.refresh_from_db()
    for signatory in out.signatories.all():
        sign(signatory, out)
    out.refresh_from_db()
    assert out.state == Agreement.State.EXECUTED
    assert not out.signatories.filter(role=Signatory.Role.FUND).exists()
