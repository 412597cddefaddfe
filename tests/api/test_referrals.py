"""Referrals through the API: the same rule as the web form (``applications.referrals``), its
messages at the field (``referrals[0].phone``), and nothing changes after a refusal."""

import pytest

from applications.models import Application, Network, Referral
from tests.api.conftest import assert_problem
from tests.funds.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db

REASON = {"name": "decline", "reason": "Outside our region.", "advice": "Ask the district fund."}
PHONE_MESSAGE = (
    "Enter a phone number that can be called, for example 020 123 4567, 06 12345678 or "
    "+32 2 555 12 12."
)


def url(application) -> str:
    return f"/api/v1/applications/{application.pk}/transitions/"


def decline(w, *referrals, client="officer"):
    return w.clients[client].post(
        url(w.application), {**REASON, "referrals": list(referrals)}, format="json"
    )


def foundations_only():
    return ProgrammeFactory(
        accepts_cooperation_agreement=False,
        accepts_host_organisation=False,
        accepts_support_only=False,
    )


def assert_still_open(w):
    w.application.refresh_from_db()
    assert w.application.state == Application.State.DRAFTING
    assert not Referral.objects.exists()


def test_phone_abc_is_refused_at_the_referrals_phone_field(api_world):
    w = api_world
    response = decline(
        w,
        {"contact_name": "Piet", "email": "piet@example.org"},
        {"contact_name": "Anna", "phone": "abc"},
    )
    body = assert_problem(response, 400, field="referrals[1].phone")
    assert body["errors"]["referrals[1].phone"] == [PHONE_MESSAGE]
    assert "referrals[0].phone" not in body["errors"]
    assert_still_open(w)


def test_a_contact_nobody_can_reach_is_refused_in_its_row(api_world):
    w = api_world
    response = decline(w, {"organisation": "Buurtwerk", "note": "Nice people"})
    body = assert_problem(response, 400, field="referrals[0]")
    assert body["errors"]["referrals[0]"] == [
        "Give a phone number, e-mail address or web address, so the network can get in touch."
    ]
    assert_still_open(w)


def test_a_web_address_that_is_not_one_is_refused(api_world):
    w = api_world
    response = decline(w, {"organisation": "Buurtwerk", "url": "buurtwerk"})
    assert_problem(response, 400, field="referrals[0].url")
    assert_still_open(w)


def test_a_foundations_only_programme_is_refused_for_an_informal_network(api_world):
    w = api_world
    assert w.network.legal_status == Network.LegalStatus.NONE
    closed_door = foundations_only()
    for reference in (closed_door.slug, closed_door.pk):
        response = decline(w, {"programme": reference}, client="write_key")
        body = assert_problem(response, 400, field="referrals[0].programme")
        assert body["errors"]["referrals[0].programme"][0].startswith(
            "The network cannot apply to this programme."
        )
    assert_still_open(w)


def test_a_foundation_may_be_referred_there(api_world):
    w = api_world
    w.network.legal_status = Network.LegalStatus.ASSOCIATION
    w.network.save()
    closed_door = foundations_only()
    response = decline(w, {"programme": closed_door.slug})
    assert response.status_code == 200, response.content
    assert Referral.objects.get().programme == closed_door


def test_a_phone_number_and_a_web_address_are_stored_and_returned(api_world):
    w = api_world
    response = decline(
        w,
        {"organisation": "Buurtwerk", "phone": "020 123 4567"},
        {"contact_name": "Piet", "url": "https://buurtwerk.example/"},
    )
    assert response.status_code == 200, response.content
    first, second = response.json()["decline"]["referrals"]
    assert first["phone"] == "+31201234567"
    assert second["url"] == "https://buurtwerk.example/"
    assert [r.phone for r in Referral.objects.order_by("pk")] == ["+31201234567", ""]


def test_a_person_who_may_not_decline_is_refused_before_the_referrals_are_read(api_world):
    w = api_world
    response = decline(w, {"contact_name": "Anna", "phone": "abc"}, client="coordinator")
    assert_problem(response, 403)
    assert_still_open(w)


def test_a_web_address_without_a_scheme_is_https_as_on_the_web(api_world):
    response = decline(api_world, {"organisation": "Buurtwerk", "url": "www.buurtwerk.nl"})
    assert response.status_code == 200, response.content
    assert Referral.objects.get().url == "https://www.buurtwerk.nl"
