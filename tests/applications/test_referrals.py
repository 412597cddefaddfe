"""A "no" that helps: every referral can be used, and a referred programme is one the network
could apply to. The rule lives once (``applications.referrals``); the decline service, the web
form and the API all ask it, and the web form and the API show its messages at the field."""

from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from applications import services
from applications.models import Application, Network, Referral
from applications.referrals import referral_check, referral_programmes
from core.phones import clean_phone, format_phone
from tests.funds.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db

REASON = {"reason": "Outside our region.", "advice": "Ask the district fund."}
MANAGEMENT = {"referrals-TOTAL_FORMS": "2", "referrals-INITIAL_FORMS": "0"}
PHONE_MESSAGE = (
    "Enter a phone number that can be called, for example 020 123 4567, 06 12345678 or "
    "+32 2 555 12 12."
)


def foundations_only():
    return ProgrammeFactory(
        title="Only for foundations",
        accepts_cooperation_agreement=False,
        accepts_host_organisation=False,
        accepts_support_only=False,
    )


def decline_url(application):
    return reverse("application_transition", args=[application.pk, "decline"])


def post_decline(client, world, **row):
    client.force_login(world.officer)
    data = {**MANAGEMENT, **REASON, **{f"referrals-0-{key}": value for key, value in row.items()}}
    return client.post(decline_url(world.application), data)


def assert_still_open(world):
    world.application.refresh_from_db()
    assert world.application.state == Application.State.DRAFTING
    assert not Referral.objects.exists()


# --- phone numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored", "shown"),
    [
        ("020 123 4567", "+31201234567", "020 123 4567"),
        ("06-12345678", "+31612345678", "06 12345678"),
        ("0031 20 123 4567", "+31201234567", "020 123 4567"),
        ("+32 2 555 12 12", "+3225551212", "+32 2 555 12 12"),
    ],
)
def test_a_phone_number_is_kept_in_one_form_and_shown_as_people_read_it(typed, stored, shown):
    assert clean_phone(typed) == stored
    assert format_phone(stored) == shown


@pytest.mark.parametrize("typed", ["abc", "12", "112", "020 123", "+31 20 123 4567 8901 23"])
def test_a_phone_number_that_cannot_be_called_is_refused(typed):
    with pytest.raises(ValidationError) as refused:
        clean_phone(typed)
    assert refused.value.messages == [PHONE_MESSAGE]


def test_the_web_form_refuses_phone_abc_at_the_phone_field(client, world):
    response = post_decline(
        client, world, organisation="Buurtwerk", contact_name="Anna", phone="abc"
    )
    assert response.status_code == HTTPStatus.OK
    row = response.context["referrals"].forms[0]
    assert row.errors["phone"] == [PHONE_MESSAGE]
    assert PHONE_MESSAGE in response.content.decode()
    assert_still_open(world)


def test_the_service_refuses_phone_abc_too(world):
    with pytest.raises(ValidationError) as refused:
        services.application_decline(
            application=world.application,
            actor=world.officer,
            referrals=[{"organisation": "Buurtwerk", "phone": "abc"}],
            **REASON,
        )
    assert refused.value.message_dict["referrals"] == [f"Referral 1: {PHONE_MESSAGE}"]
    assert_still_open(world)


def test_a_contact_without_any_way_to_reach_them_is_refused_in_its_row(client, world):
    response = post_decline(client, world, organisation="Buurtwerk", note="Nice people")
    assert response.status_code == HTTPStatus.OK
    row = response.context["referrals"].forms[0]
    assert row.non_field_errors() == [
        "Give a phone number, e-mail address or web address, so the network can get in touch."
    ]
    assert "Give a phone number, e-mail address or web address" in response.content.decode()
    assert_still_open(world)


def test_a_web_address_alone_is_enough_and_the_network_sees_it(client, world):
    response = post_decline(
        client, world, organisation="Buurtwerk Oost", url="https://buurtwerk.example/hulp"
    )
    assert response.status_code == HTTPStatus.FOUND
    referral = Referral.objects.get()
    assert referral.url == "https://buurtwerk.example/hulp"
    client.force_login(world.member)
    page = client.get(reverse("application_detail", args=[world.application.pk])).content
    assert 'href="https://buurtwerk.example/hulp"' in page.decode()


def test_a_phone_number_is_stored_once_and_shown_as_typed_in_the_dutch_way(client, world):
    response = post_decline(client, world, contact_name="Anna", phone="020-1234567")
    assert response.status_code == HTTPStatus.FOUND
    assert Referral.objects.get().phone == "+31201234567"
    client.force_login(world.member)
    page = client.get(reverse("application_detail", args=[world.application.pk])).content
    assert 'href="tel:+31201234567">020 123 4567</a>' in page.decode()


# --- programmes the network could apply to --------------------------------------------------


def test_an_informal_network_is_not_offered_a_foundations_only_programme(client, world):
    assert world.network.legal_status == Network.LegalStatus.NONE
    closed_door = foundations_only()
    open_door = ProgrammeFactory(title="Open to groups")
    offered = list(referral_programmes(world.application))
    assert closed_door not in offered and open_door in offered
    assert world.programme not in offered  # not the programme that said no

    client.force_login(world.officer)
    page = client.get(decline_url(world.application))
    choices = page.context["referrals"].forms[0].fields["programme"].queryset
    assert list(choices) == offered
    assert "Only for foundations" not in page.content.decode()


def test_posting_a_foundations_only_programme_for_an_informal_network_is_refused(client, world):
    closed_door = foundations_only()
    response = post_decline(client, world, programme=closed_door.pk)
    assert response.status_code == HTTPStatus.OK
    row = response.context["referrals"].forms[0]
    assert row.errors["programme"] == ["Choose one of the programmes this network can apply to."]
    assert_still_open(world)


def test_the_service_refuses_a_programme_the_network_cannot_apply_to(world):
    closed_door = foundations_only()
    with pytest.raises(ValidationError) as refused:
        referral_check(application=world.application, data={"programme": closed_door})
    assert refused.value.message_dict["programme"] == [
        "The network cannot apply to this programme. This programme only supports "
        "foundations and associations. Look for a programme that accepts groups without one."
    ]
    with pytest.raises(ValidationError):
        services.application_decline(
            application=world.application,
            actor=world.officer,
            referrals=[{"programme": closed_door.pk}],
            **REASON,
        )
    assert_still_open(world)


def test_a_foundation_may_be_referred_to_a_foundations_only_programme(client, world):
    world.network.legal_status = Network.LegalStatus.FOUNDATION
    world.network.save()
    closed_door = foundations_only()
    assert closed_door in referral_programmes(world.application)
    response = post_decline(client, world, programme=closed_door.pk)
    assert response.status_code == HTTPStatus.FOUND
    assert Referral.objects.get().programme == closed_door


def test_a_phone_number_beside_a_programme_must_be_callable_too(client, world):
    other = ProgrammeFactory(title="Open to groups")
    response = post_decline(client, world, programme=other.pk, phone="abc")
    assert response.status_code == HTTPStatus.OK
    assert response.context["referrals"].forms[0].errors["phone"] == [PHONE_MESSAGE]
    assert_still_open(world)
