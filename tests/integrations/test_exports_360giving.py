"""The 360Giving export: money grants only, the right identifiers, valid against the standard.

Validation uses the official schemas (../shared/standards/360giving/ beside the project; in a
clone without it, the shipped copies, which must hash to the official files) with jsonschema
(draft 2020-12), the grant schema registered under both URLs the package schema may use. The builders
here (an award per arrangement) are also used by the other export tests.
"""

import hashlib
import json
from decimal import Decimal
from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from agreements import services as agreement_services
from applications import services as application_services
from applications.models import Application, Network, NetworkMember
from integrations.exports import threesixty
from tests.agreements.helpers import VALID_IBAN, award, sign_all
from tests.applications.factories import NetworkFactory, NetworkMemberFactory
from tests.funds.factories import FundMembershipFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

# sha256 of the official 360Giving 1.4.3 files (ThreeSixtyGiving/standard@9387abcf), so a clone
# without ../shared still proves the shipped copies are unmodified.
OFFICIAL_SHA256 = {
    "360-giving-package-schema.json": (
        "30c0897090628d161cda0f3048031abd955eb9b68cfd83f8fe54340756886b11"
    ),
    "360-giving-schema.json": "e8a1c581ce18447b2dc9c757d7229862624970a3724718d8319a8d3c47429ebb",
}
SHARED_DIR = Path(settings.BASE_DIR).parent / "shared" / "standards" / "360giving"
SHARED = SHARED_DIR if SHARED_DIR.is_dir() else threesixty.SCHEMA_DIR
HOST_KVK = "41234567"
ENTITY_KVK = "40123456"


# ---------------------------------------------------------------------------------------------
# Builders: one award per kind of recipient, through the real services.


def applicant(w, *, title, kvk="", members=2, programme=None, officer=None, manager=None):
    """A new network (with ``members`` people) and its application to the world's programme."""
    legal_status = Network.LegalStatus.ASSOCIATION if kvk else Network.LegalStatus.NONE
    network = NetworkFactory(kvk_number=kvk, legal_status=legal_status)
    coordinator = NetworkMemberFactory(network=network, role=NetworkMember.Role.COORDINATOR).user
    for _ in range(members - 1):
        NetworkMemberFactory(network=network)
    programme = programme or w.programme
    application = application_services.application_create(
        network=network,
        programme=programme,
        actor=coordinator,
        title=title,
        requested_amount=Decimal("1500"),
    )
    return SimpleNamespace(
        application=application,
        coordinator=coordinator,
        officer=officer or w.officer,
        manager=manager or w.manager,
        network=network,
    )


def execute(who, arrangement: str, **details):
    """Prepare, send and sign an agreement of ``arrangement`` for an awarded application."""
    agreement = agreement_services.agreement_prepare(
        application=who.application, actor=who.officer, arrangement=arrangement
    )
    agreement = agreement_services.agreement_update(
        agreement=agreement, actor=who.officer, iban=VALID_IBAN, **details
    )
    if arrangement == "host_organisation":
        agreement_services.agreement_set_signatories(
            agreement=agreement,
            actor=who.officer,
            signatories=[
                {"role": "host", "name": "Henk Bos", "email": "henk@host.example"},
                {"role": "coordinator", "name": "Coco Ordinator", "email": "coco@example.org"},
            ],
        )
    agreement_services.agreement_send(
        agreement=agreement, actor=who.officer, note="Checked", confirmed=True
    )
    return sign_all(agreement)


def grants_world(w):
    """The world's fund with four money grants and three applications that are not grants.

    cooperation: the world's own (informal) network, agreement executed
    entity:      an association with a KvK number, legal-entity agreement executed
    hosted:      an informal network whose host organisation receives the money
    pending:     awarded, the agreement still to come
    not grants:  a €0 (support-only) award, an application still drafting, another fund's award
    """
    w.application = award(w, "1000")
    w.cooperation = w.application
    w.cooperation_agreement = execute(w, "cooperation_agreement", payee_name="Coco Ordinator")

    entity = applicant(w, title="Repair café", kvk=ENTITY_KVK, members=1)
    w.entity = award(entity, "2000")
    w.entity_agreement = execute(entity, "legal_entity")

    hosted = applicant(w, title="Language café", members=1)
    w.hosted_network = hosted.network
    w.hosted = award(hosted, "1500.50")
    w.hosted_agreement = execute(
        hosted,
        "host_organisation",
        payee_name="Stichting De Boog",
        host_name="Stichting De Boog",
        kvk_number=HOST_KVK,
        host_representative_name="Henk Bos",
        host_representative_email="henk@host.example",
    )

    pending = applicant(w, title="Book cabinet", members=1)
    w.pending = award(pending, "800")

    support = applicant(w, title="Help with the books", members=1)
    w.support_only = award(support, "100")
    # A support-only award is €0 (the hours come from a support pool); set it directly here.
    Application.objects.filter(pk=w.support_only.pk).update(awarded_amount=Decimal("0"))

    w.drafting = applicant(w, title="Still writing", members=1).application

    other_programme = ProgrammeFactory()
    w.other_fund = other_programme.fund
    elsewhere = applicant(
        w,
        title="Elsewhere",
        programme=other_programme,
        officer=FundMembershipFactory(fund=w.other_fund).user,
        manager=FundMembershipFactory(fund=w.other_fund, role="manager").user,
    )
    w.other_award = award(elsewhere, "500")
    return w


def grant_ids(*applications) -> set[str]:
    return {f"360G-eigenwijs-{a.programme.fund.slug}-{a.pk}" for a in applications}


def shared_validator() -> Draft202012Validator:
    """Exactly as the standard's README says: the local grant schema under both URLs."""
    package = json.loads((SHARED / "360-giving-package-schema.json").read_text())
    grant = json.loads((SHARED / "360-giving-schema.json").read_text())
    resource = DRAFT202012.create_resource(grant)
    registry = Registry().with_resources(
        [
            (grant["$id"], resource),
            (
                "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.2/schema/"
                "360-giving-schema.json",
                resource,
            ),
        ]
    )
    return Draft202012Validator(
        package, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def assert_valid(package: dict) -> None:
    errors = [
        f"{list(e.absolute_path)}: {e.message}" for e in shared_validator().iter_errors(package)
    ]
    assert not errors, errors


@pytest.fixture
def grants(world):
    return grants_world(world)


def by_id(package: dict) -> dict:
    return {g["id"]: g for g in package["grants"]}


# ---------------------------------------------------------------------------------------------
# The package


def test_the_package_validates_against_the_official_schema(grants):
    package = threesixty.build_package(grants.fund)
    assert_valid(package)
    assert threesixty.validation_errors(package, SHARED) == []
    assert threesixty.validation_errors(package) == []  # the copy shipped with the code


def test_only_money_grants_of_the_fund_are_listed(grants):
    package = threesixty.build_package(grants.fund)
    assert set(by_id(package)) == grant_ids(
        grants.cooperation, grants.entity, grants.hosted, grants.pending
    )


def test_a_grant_says_who_gave_how_much_when_and_for_what(grants):
    fund = grants.fund
    grant = by_id(threesixty.build_package(fund))[f"360G-eigenwijs-{fund.slug}-{grants.entity.pk}"]
    assert grant["title"] == "Repair café"
    assert grant["description"] == grants.entity_agreement.purpose
    assert grant["currency"] == "EUR"
    assert grant["amountAwarded"] == 2000 and grant["amountAppliedFor"] == 1500
    assert grant["awardDate"] == timezone.localtime(grants.entity.decided_at).date().isoformat()
    assert grant["fundingOrganization"] == [
        {"id": f"360G-eigenwijs-{fund.slug}", "name": fund.name}
    ]
    assert grant["grantProgramme"] == [
        {"code": grants.programme.slug, "title": grants.programme.title}
    ]
    assert grant["plannedDates"] == [
        {
            "startDate": timezone.localtime(grants.entity_agreement.executed_at).date().isoformat(),
            "endDate": grants.entity_agreement.final_report_due.isoformat(),
        }
    ]
    assert grant["beneficiaryLocation"] == [{"name": "Amsterdam-Oost", "countryCode": "NL"}]
    assert "regrantType" not in grant


def test_cents_are_kept_exactly(grants):
    grant = by_id(threesixty.build_package(grants.fund))[grant_ids(grants.hosted).pop()]
    assert grant["amountAwarded"] == 1500.5
    assert '"amountAwarded": 1500.5,' in "".join(threesixty.stream_package(grants.fund))


def test_a_recipient_with_a_kvk_number_is_identified_by_it(grants):
    grant = by_id(threesixty.build_package(grants.fund))[grant_ids(grants.entity).pop()]
    assert grant["recipientOrganization"] == [
        {"id": f"NL-KVK-{ENTITY_KVK}", "name": grants.entity.network.name}
    ]


def test_a_network_without_kvk_number_gets_an_id_under_the_funds_prefix(grants):
    package = by_id(threesixty.build_package(grants.fund))
    for application in (grants.cooperation, grants.pending):
        (recipient,) = package[grant_ids(application).pop()]["recipientOrganization"]
        network = application.network
        assert recipient == {
            "id": f"360G-eigenwijs-{grants.fund.slug}-network-{network.pk}",
            "name": network.name,
        }


def test_a_host_organisation_grant_names_the_host_and_is_a_regrant(grants):
    grant = by_id(threesixty.build_package(grants.fund))[grant_ids(grants.hosted).pop()]
    assert grant["recipientOrganization"] == [
        {"id": f"NL-KVK-{HOST_KVK}", "name": "Stichting De Boog"}
    ]
    assert grant["regrantType"] == "FRG050"
    assert grants.hosted_network.name in grant["description"]
    assert grant["description"].startswith(grants.hosted_agreement.purpose)


def test_an_award_without_agreement_yet_is_a_grant_without_planned_dates(grants):
    grant = by_id(threesixty.build_package(grants.fund))[grant_ids(grants.pending).pop()]
    assert grant["description"] == grants.pending.title
    assert "plannedDates" not in grant


def test_the_stream_is_the_same_package(grants):
    streamed = json.loads("".join(threesixty.stream_package(grants.fund, chunk_size=2)))
    assert streamed == json.loads(json.dumps(threesixty.build_package(grants.fund)))


def test_streaming_takes_the_same_queries_for_one_grant_or_many(world, django_assert_num_queries):
    world.application = award(world, "1000")
    execute(world, "cooperation_agreement", payee_name="Coco Ordinator")
    with django_assert_num_queries(2) as one:  # the applications, their executed agreements
        list(threesixty.stream_package(world.fund))
    for number in range(3):
        who = applicant(world, title=f"More {number}", members=1)
        award(who, "100")
        execute(who, "legal_entity", kvk_number=ENTITY_KVK)
    with django_assert_num_queries(len(one.captured_queries)):
        grants = json.loads("".join(threesixty.stream_package(world.fund)))["grants"]
    assert len(grants) == 4


def test_a_fund_without_money_grants_has_an_empty_list_which_the_standard_rejects(world):
    package = threesixty.build_package(world.fund)
    assert package["grants"] == []
    assert any("grants" in error for error in threesixty.validation_errors(package))


def test_the_validator_checks_formats_and_required_fields(grants):
    package = threesixty.build_package(grants.fund)
    package["grants"][0]["dateModified"] = "yesterday"
    del package["grants"][1]["recipientOrganization"]
    errors = threesixty.validation_errors(package)
    assert len(errors) == 2, errors


def test_the_shipped_schemas_are_the_official_ones():
    for name, digest in OFFICIAL_SHA256.items():
        shipped = (threesixty.SCHEMA_DIR / name).read_bytes()
        assert hashlib.sha256(shipped).hexdigest() == digest
        assert shipped == (SHARED / name).read_bytes()


# ---------------------------------------------------------------------------------------------
# manage.py export_360giving


def test_command_writes_a_validated_package_to_a_file(grants, tmp_path):
    target = tmp_path / "grants.json"
    call_command(
        "export_360giving",
        grants.fund.slug,
        "--output",
        str(target),
        "--validate",
        stderr=StringIO(),
    )
    package = json.loads(target.read_text(encoding="utf-8"))
    assert_valid(package)
    assert len(package["grants"]) == 4


def test_command_streams_to_standard_output(grants):
    out = StringIO()
    call_command("export_360giving", grants.fund.slug, stdout=out)
    assert len(json.loads(out.getvalue())["grants"]) == 4


def test_command_refuses_an_unknown_fund_and_an_invalid_package(world, tmp_path):
    with pytest.raises(CommandError, match="no fund"):
        call_command("export_360giving", "nope")
    target = tmp_path / "grants.json"
    with pytest.raises(CommandError, match="does not validate"):
        call_command("export_360giving", world.fund.slug, "--validate", "--output", str(target))
    assert not target.exists()


def test_the_fixture_awards_really_are_in_the_expected_states(grants):
    assert grants.cooperation.programme.fund == grants.fund
    states = {
        a.title: Application.objects.get(pk=a.pk).state
        for a in (grants.cooperation, grants.entity, grants.hosted, grants.pending)
    }
    assert states == {
        "Garden": "contracted",
        "Repair café": "contracted",
        "Language café": "contracted",
        "Book cabinet": "awarded",
    }
    assert grants.drafting.state == "drafting"


def test_the_demo_funds_export_valid_packages():
    from funds.models import Fund

    call_command("demo", stdout=StringIO())
    oost = threesixty.build_package(Fund.objects.get(slug="buurtfonds-oost"))
    assert_valid(oost)
    titles = {g["title"]: g for g in oost["grants"]}
    assert "Hulp bij de administratie" not in titles  # support only: €0
    assert titles["Taalles in de bibliotheek"]["regrantType"] == "FRG050"
    assert (
        titles["Taalles in de bibliotheek"]["recipientOrganization"][0]["id"] == "NL-KVK-41234567"
    )
    assert titles["Repair Café op tournee"]["recipientOrganization"][0]["id"] == "NL-KVK-40123456"
    # The city fund has awarded nothing yet: an empty list, which the standard does not accept.
    assert threesixty.build_package(Fund.objects.get(slug="stadsfonds"))["grants"] == []
