"""The one-minute check "Is this a fit for us?": no account, nothing stored, a plain GET form,
the answer with its reasons and the open programmes that do fit; errors at the field."""

from decimal import Decimal
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import translation

from core.models import Province
from tests.funds.factories import ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db

ONLY_COOPERATION = {
    "accepts_legal_entity": False,
    "accepts_cooperation_agreement": True,
    "accepts_host_organisation": False,
    "accepts_support_only": False,
}


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


def answers(**changes):
    return {
        "legal_form": "none",
        "people": "2",
        "province": "",
        "place": "",
        "amount": "",
        **changes,
    }


def test_the_questions_need_no_account(client):
    programme = ProgrammeFactory(title="Street gardens")
    response = client.get(reverse("programme_check", args=[programme.slug]))
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "Is this a fit for us?" in page
    for name in ("legal_form", "people", "province", "place", "amount"):
        assert f'name="{name}"' in page
    assert 'method="get"' in page
    assert "data-check-answer" not in page


def test_yes_this_fits_with_a_link_to_apply(client):
    programme = ProgrammeFactory(**ONLY_COOPERATION, min_signatories=2)
    response = client.get(reverse("programme_check", args=[programme.slug]), answers())
    page = response.content.decode()
    assert 'data-check-answer="fits"' in page
    assert "Yes, this fits" in page
    assert reverse("application_start", args=[programme.slug]) in page


def test_not_yet_with_the_reasons_the_contact_and_the_programmes_that_do_fit(client):
    programme = ProgrammeFactory(**ONLY_COOPERATION, min_signatories=3, max_amount=Decimal("1000"))
    programme.fund.contact_name = "Fatima Ouali"
    programme.fund.contact_phone = "+31201234567"
    programme.fund.save()
    other = ProgrammeFactory(title="Small things in the street")  # a host organisation signs
    response = client.get(
        reverse("programme_check", args=[programme.slug]), answers(people="1", amount="1.500")
    )
    page = response.content.decode()
    assert 'data-check-answer="not-yet"' in page
    assert "Not yet" in page
    assert "2 more people are needed to sign." in page
    assert 'data-refusal="amount"' in page
    assert "Fatima Ouali" in page and "020 123 4567" in page
    assert reverse("programme_detail", args=[other.slug]) in page


def test_the_site_wide_check_lists_every_open_programme_that_fits(client):
    utrecht = Province.objects.get(code="NL-UT")
    fits = ProgrammeFactory(title="Utrecht together")
    fits.provinces.set([utrecht])
    elsewhere = ProgrammeFactory(title="Zeeland together")
    elsewhere.provinces.set([Province.objects.get(code="NL-ZE")])
    foundations = ProgrammeFactory(
        title="Foundations only",
        **{
            **ONLY_COOPERATION,
            "accepts_legal_entity": True,
            "accepts_cooperation_agreement": False,
        },
    )
    response = client.get(reverse("check"), answers(province=str(utrecht.pk), place="Zeist"))
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "These programmes do fit" in page
    assert reverse("programme_detail", args=[fits.slug]) in page
    assert reverse("programme_detail", args=[elsewhere.slug]) not in page
    assert reverse("programme_detail", args=[foundations.slug]) not in page


def test_nothing_is_stored_and_no_session_is_started(client):
    programme = ProgrammeFactory()
    client.get(reverse("programme_check", args=[programme.slug]), answers())
    assert "sessionid" not in client.cookies


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"people": "-1"}, "people", "Enter 0 or more."),
        ({"people": "lots"}, "people", "Enter a whole number, for example 3."),
        ({"people": "100000"}, "people", "Enter at most 500."),
        ({"amount": "-5"}, "amount", "Enter an amount of 0 or more."),
        ({"amount": "a lot"}, "amount", "Enter an amount in euros, for example 2500."),
        ({"amount": "99999999999"}, "amount", "That is more than any programme gives."),
        ({"legal_form": ""}, "legal_form", "Choose one of the two."),
        ({"province": "999999"}, "province", "Select a valid choice."),
    ],
)
def test_bad_answers_get_an_error_at_the_field(client, change, field, message):
    programme = ProgrammeFactory()
    response = client.get(reverse("programme_check", args=[programme.slug]), answers(**change))
    page = response.content.decode()
    assert f'id="id_{field}_error"' in page
    assert message in page
    assert "data-check-answer" not in page


def test_dutch_amounts_are_understood(client):
    programme = ProgrammeFactory(max_amount=Decimal("1250"))
    page = client.get(
        reverse("programme_check", args=[programme.slug]), answers(amount="1.250,00")
    ).content.decode()
    assert 'data-check-answer="fits"' in page


def test_a_signed_in_person_sees_the_same_check(client):
    programme = ProgrammeFactory()
    client.force_login(UserFactory())
    response = client.get(reverse("programme_check", args=[programme.slug]), answers())
    assert 'data-check-answer="fits"' in response.content.decode()


def test_an_unknown_programme_is_not_found(client):
    assert client.get(reverse("programme_check", args=["no-such"])).status_code == 404


def test_the_programme_page_shows_the_rules_and_links_to_the_check(client):
    programme = ProgrammeFactory(**ONLY_COOPERATION, min_signatories=3, signatories_min_age=18)
    programme.provinces.set([Province.objects.get(code="NL-UT")])
    page = client.get(reverse("programme_detail", args=[programme.slug])).content.decode()
    assert "The rules in short" in page
    assert "Only groups in Utrecht." in page
    assert "18 years old" in page
    assert reverse("programme_check", args=[programme.slug]) in page


def test_the_catalogue_links_to_the_check(client):
    programme = ProgrammeFactory()
    page = client.get(reverse("home")).content.decode()
    assert reverse("check") in page
    assert reverse("programme_check", args=[programme.slug]) in page
