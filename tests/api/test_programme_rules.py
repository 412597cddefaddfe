"""The API says what the web says: a programme's rules and provinces, a network's province and
language, and the same refusal at the start of an application ("2 more people are needed")."""

from http import HTTPStatus

import pytest

from applications.models import Application, Network
from applications.services.starting import eligibility_refusal
from core.models import Province
from tests.api.conftest import assert_problem
from tests.funds.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/"
ONLY_COOPERATION = {
    "accepts_legal_entity": False,
    "accepts_cooperation_agreement": True,
    "accepts_host_organisation": False,
    "accepts_support_only": False,
}


def test_a_programme_shows_its_provinces_by_code_and_its_rules_in_words(api_world):
    programme = ProgrammeFactory(**ONLY_COOPERATION, min_signatories=3, signatories_min_age=18)
    programme.provinces.set(Province.objects.filter(code__in=["NL-UT", "NL-GE"]))
    response = api_world.clients["coordinator"].get(
        f"{API}programmes/{programme.slug}/", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == HTTPStatus.OK, response.content
    body = response.json()
    assert body["provinces"] == ["NL-GE", "NL-UT"]
    assert body["signatories_min_age"] == 18
    assert body["signatories_distinct_addresses"] is False
    rules = {rule["label"]: rule["text"] for rule in body["rules"]}
    assert rules["Region"] == "Only groups in Gelderland or Utrecht."
    assert "at least 3 members" in rules["Who signs"]


def test_a_programme_for_the_whole_country_has_no_provinces(api_world):
    response = api_world.clients["coordinator"].get(f"{API}programmes/{api_world.programme.slug}/")
    assert response.json()["provinces"] == []


def test_starting_an_application_with_too_few_people_is_refused_at_the_programme(api_world):
    w = api_world
    programme = ProgrammeFactory(fund=w.fund, **ONLY_COOPERATION, min_signatories=4)
    before = Application.objects.count()
    response = w.clients["coordinator"].post(
        f"{API}applications/",
        {
            "network": w.network.pk,
            "programme": programme.slug,
            "title": "Repair café",
            "requested_amount": "100",
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    body = assert_problem(response, HTTPStatus.BAD_REQUEST, field="programme")
    # The world's network has a coordinator and a member: two of the four who must sign.
    assert body["errors"]["programme"] == [
        eligibility_refusal(network=w.network, programme=programme)
    ]
    assert body["errors"]["programme"][0].startswith("2 more people are needed to sign.")
    assert Application.objects.count() == before


def test_a_network_is_started_with_its_province_place_and_language(api_world):
    response = api_world.clients["coordinator"].post(
        f"{API}networks/",
        {"name": "Buurtmoestuin", "province": "NL-UT", "area": "Zeist", "language": "tr"},
        format="json",
    )
    assert response.status_code == HTTPStatus.CREATED, response.content
    body = response.json()
    assert (body["province"], body["area"], body["language"]) == ("NL-UT", "Zeist", "tr")
    network = Network.objects.get(pk=body["id"])
    assert network.province.code == "NL-UT" and network.language == "tr"


def test_a_network_without_a_province_or_language_gets_the_site_s_language(api_world, settings):
    response = api_world.clients["coordinator"].post(
        f"{API}networks/", {"name": "Buurtmoestuin"}, format="json"
    )
    body = response.json()
    assert body["province"] is None and body["language"] == settings.LANGUAGE_CODE


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"province": "NL-XX"}, "province"),
        ({"province": "Utrecht"}, "province"),
        ({"language": "de"}, "language"),
    ],
)
def test_a_bad_province_or_language_is_refused_at_the_field(api_world, change, field):
    before = Network.objects.count()
    response = api_world.clients["coordinator"].post(
        f"{API}networks/", {"name": "Buurtmoestuin", **change}, format="json"
    )
    assert_problem(response, HTTPStatus.BAD_REQUEST, field=field)
    assert Network.objects.count() == before
