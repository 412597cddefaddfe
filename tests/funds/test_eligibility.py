"""A programme's rules before any effort (funds.eligibility): each reason a group cannot apply,
in words it can act on, the rules in plain words, and the open programmes that do fit."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from core.models import Province
from funds.arrangements import Arrangement
from funds.eligibility import (
    Facts,
    LegalForm,
    Refusal,
    fitting_programmes,
    people_needed,
    refusals,
    rules_in_words,
)
from tests.funds.factories import ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
ONLY_COOPERATION = {
    "accepts_legal_entity": False,
    "accepts_cooperation_agreement": True,
    "accepts_host_organisation": False,
    "accepts_support_only": False,
}
FOUNDATIONS_ONLY = {
    "accepts_legal_entity": True,
    "accepts_cooperation_agreement": False,
    "accepts_host_organisation": False,
    "accepts_support_only": False,
}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def province(code):
    return Province.objects.get(code=code)


def group(**facts):
    return Facts(**{"legal_form": LegalForm.NONE, **facts})


def kinds(programme, facts):
    return [refusal.kind for refusal in refusals(programme, facts)]


def test_the_twelve_provinces_are_there():
    assert Province.objects.count() == 12
    assert province("NL-UT").name == "Utrecht"


def test_a_group_that_fits_hears_no_reason():
    programme = ProgrammeFactory()
    assert refusals(programme, group(people=2, amount=Decimal("500"))) == []


def test_a_group_without_a_foundation_is_refused_where_only_foundations_may_apply():
    programme = ProgrammeFactory(**FOUNDATIONS_ONLY)
    [reason] = refusals(programme, group(people=5))
    assert reason.kind == Refusal.LEGAL_FORM
    assert "only supports foundations and associations" in reason
    assert refusals(programme, Facts(legal_form=LegalForm.ENTITY, people=0)) == []


def test_two_more_people_are_needed_when_the_cooperation_agreement_is_the_only_way_open():
    programme = ProgrammeFactory(**ONLY_COOPERATION, min_signatories=3)
    [reason] = refusals(programme, group(people=1))
    assert reason.kind == Refusal.PEOPLE and reason.people_short == 2
    assert reason.startswith("2 more people are needed to sign.")
    assert "at least 3 members sign together" in reason
    [one] = refusals(programme, group(people=2))
    assert one.startswith("1 more person is needed to sign.")
    assert refusals(programme, group(people=3)) == []


def test_the_number_of_people_does_not_matter_when_a_host_organisation_signs():
    programme = ProgrammeFactory(**{**ONLY_COOPERATION, "accepts_host_organisation": True})
    assert refusals(programme, group(people=1)) == []


def test_a_foundation_signs_itself_so_needs_no_members_to_sign():
    programme = ProgrammeFactory(**{**ONLY_COOPERATION, "accepts_legal_entity": True})
    assert refusals(programme, Facts(legal_form=LegalForm.ENTITY, people=0)) == []
    assert kinds(programme, group(people=0)) == [Refusal.PEOPLE]


def test_support_only_needs_one_member_who_signs():
    programme = ProgrammeFactory(**{**FOUNDATIONS_ONLY, "accepts_support_only": True})
    assert people_needed(Arrangement.SUPPORT_ONLY, programme) == 1
    [reason] = refusals(programme, group(people=0))
    assert reason == "1 more person is needed to sign."
    assert refusals(programme, group(people=1)) == []


def test_an_unknown_number_of_people_refuses_nothing():
    programme = ProgrammeFactory(**ONLY_COOPERATION, min_signatories=4)
    assert refusals(programme, group()) == []


def test_a_group_outside_the_programmes_provinces_is_refused():
    programme = ProgrammeFactory()
    programme.provinces.set([province("NL-UT"), province("NL-GE")])
    [reason] = refusals(programme, group(province=province("NL-NH")))
    assert reason.kind == Refusal.REGION
    assert "Gelderland or Utrecht" in reason
    assert refusals(programme, group(province=province("NL-UT"))) == []


def test_an_unknown_province_refuses_nothing():
    programme = ProgrammeFactory()
    programme.provinces.set([province("NL-UT")])
    assert refusals(programme, group(province=None)) == []


def test_a_programme_for_the_whole_country_takes_every_province():
    programme = ProgrammeFactory()
    assert refusals(programme, group(province=province("NL-FR"))) == []


def test_an_amount_above_the_maximum_is_refused_with_the_maximum_in_euros():
    programme = ProgrammeFactory(max_amount=Decimal("5000"))
    [reason] = refusals(programme, group(amount=Decimal("5000.01")))
    assert reason.kind == Refusal.AMOUNT
    assert "€\u00a05,000.00" in reason
    assert refusals(programme, group(amount=Decimal("5000"))) == []


def test_a_closed_programme_is_refused_with_its_dates():
    programme = ProgrammeFactory(
        opens_on=TODAY - datetime.timedelta(days=30), closes_on=TODAY - datetime.timedelta(days=1)
    )
    [reason] = refusals(programme, group())
    assert reason.kind == Refusal.CLOSED
    assert "This programme is open from" in reason


def test_every_reason_is_given_at_once():
    programme = ProgrammeFactory(
        **FOUNDATIONS_ONLY,
        max_amount=Decimal("100"),
        closes_on=TODAY - datetime.timedelta(days=1),
        opens_on=TODAY - datetime.timedelta(days=10),
    )
    programme.provinces.set([province("NL-UT")])
    facts = group(people=1, province=province("NL-LI"), amount=Decimal("200"))
    assert kinds(programme, facts) == [
        Refusal.CLOSED,
        Refusal.LEGAL_FORM,
        Refusal.REGION,
        Refusal.AMOUNT,
    ]


def test_fitting_programmes_are_the_open_ones_without_a_reason():
    fits = ProgrammeFactory(title="Fits")
    ProgrammeFactory(title="Foundations only", **FOUNDATIONS_ONLY)
    ProgrammeFactory(title="Closed", closes_on=TODAY - datetime.timedelta(days=1))
    elsewhere = ProgrammeFactory(title="Elsewhere")
    elsewhere.provinces.set([province("NL-ZE")])
    small = ProgrammeFactory(title="Small", max_amount=Decimal("100"))
    facts = group(people=2, province=province("NL-UT"), amount=Decimal("500"))
    assert fitting_programmes(facts) == [fits]
    assert fitting_programmes(facts, exclude=fits) == []
    assert small not in fitting_programmes(facts)


def test_the_rules_in_plain_words():
    programme = ProgrammeFactory(
        **ONLY_COOPERATION,
        min_signatories=3,
        signatories_min_age=18,
        signatories_distinct_addresses=True,
        max_amount=Decimal("2500"),
        reply_working_days=10,
    )
    programme.provinces.set([province("NL-UT")])
    rules = dict(rules_in_words(programme))
    assert list(rules) == [
        "Who may apply",
        "Who signs",
        "Minimum age",
        "Different addresses",
        "Region",
        "Maximum amount",
        "Reply time",
    ]
    assert "Groups without a foundation or association" in rules["Who may apply"]
    assert "at least 3 members of the group sign a cooperation agreement" in rules["Who signs"]
    assert "18 years old" in rules["Minimum age"]
    assert rules["Region"] == "Only groups in Utrecht."
    assert rules["Maximum amount"] == "At most €\u00a02,500.00 per application."
    assert rules["Reply time"] == "The fund answers a step you send within 10 working days."


def test_the_rules_of_a_foundations_only_programme_for_the_whole_country():
    rules = dict(rules_in_words(ProgrammeFactory(**FOUNDATIONS_ONLY)))
    assert rules["Who may apply"] == "Only a foundation or association with a KvK number."
    assert rules["Who signs"] == "A foundation or association signs itself."
    assert rules["Region"] == "Groups from the whole country."
    assert "Minimum age" not in rules and "Different addresses" not in rules


def test_the_programme_admin_sets_the_provinces(client):
    programme = ProgrammeFactory()
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    page = client.get(f"/admin/funds/programme/{programme.pk}/change/").content.decode()
    assert 'name="provinces"' in page
    assert "Utrecht" in page
