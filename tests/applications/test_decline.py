"""Declining: never without a reason, advice and somewhere to go next."""

import pytest
from django.core.exceptions import ValidationError

from applications import services
from applications.models import Application, Referral
from tests.applications.helpers import CONTACT_REFERRAL, snapshot
from tests.funds.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db

REASON = "Our budget goes to sports this year."
ADVICE = "Start small with the neighbourhood budget and come back in spring."


@pytest.fixture
def other_programme(world):
    return ProgrammeFactory(title="Green Streets", fund__name="City Fund")


def decline(world, **overrides):
    arguments = {"reason": REASON, "advice": ADVICE, "referrals": [CONTACT_REFERRAL]}
    arguments.update(overrides)
    return services.application_decline(
        application=world.application, actor=world.officer, **arguments
    )


def assert_refused(world, field, **overrides):
    before = snapshot(world.application)
    with pytest.raises(ValidationError) as refused:
        decline(world, **overrides)
    assert snapshot(world.application) == before
    assert world.application.state == Application.State.DRAFTING
    assert not Referral.objects.exists()
    assert field in refused.value.message_dict
    return refused.value.message_dict


@pytest.mark.parametrize("reason", ["", "   \n"])
def test_decline_without_reason_is_refused(world, reason):
    errors = assert_refused(world, "reason", reason=reason)
    assert set(errors) == {"reason"}


@pytest.mark.parametrize("advice", ["", "  "])
def test_decline_without_advice_is_refused(world, advice):
    errors = assert_refused(world, "advice", advice=advice)
    assert set(errors) == {"advice"}


@pytest.mark.parametrize("referrals", [[], None])
def test_decline_without_referral_is_refused(world, referrals):
    errors = assert_refused(world, "referrals", referrals=referrals)
    assert set(errors) == {"referrals"}


def test_decline_with_everything_missing_names_every_field(world):
    errors = assert_refused(world, "reason", reason="", advice="", referrals=[])
    assert set(errors) == {"reason", "advice", "referrals"}


def test_decline_referring_to_the_same_programme_is_refused(world):
    errors = assert_refused(world, "referrals", referrals=[{"programme": world.programme}])
    assert errors["referrals"] == [
        "Referral 1: Refer to another programme than the one applied to."
    ]


def test_decline_referring_to_a_contact_without_phone_or_email_is_refused(world):
    errors = assert_refused(
        world, "referrals", referrals=[{"organisation": "Buurtwerk", "contact_name": "Anna"}]
    )
    assert errors["referrals"] == [
        "Referral 1: Give a phone number, e-mail address or web address, so the network can "
        "get in touch."
    ]


@pytest.mark.parametrize(
    "contact",
    [{"phone": "020 123 4567"}, {"email": "help@example.org", "organisation": "   "}],
)
def test_decline_referring_to_a_contact_without_name_or_organisation_is_refused(world, contact):
    errors = assert_refused(world, "referrals", referrals=[contact])
    assert errors["referrals"] == [
        "Referral 1: Name another programme, or an organisation or contact person."
    ]


def test_decline_referring_to_a_contact_with_a_bad_email_is_refused(world):
    errors = assert_refused(
        world, "referrals", referrals=[{"organisation": "Buurtwerk", "email": "not-an-address"}]
    )
    assert errors["referrals"] == ["Referral 1: Enter a valid email address."]


def test_one_bad_referral_among_good_ones_stores_none_of_them(world, other_programme):
    errors = assert_refused(
        world,
        "referrals",
        referrals=[{"programme": other_programme}, CONTACT_REFERRAL, {"phone": "06 1234 5678"}],
    )
    assert len(errors["referrals"]) == 1
    assert errors["referrals"][0].startswith("Referral 3: ")


def test_decline_refusals_never_show_internal_constraint_names(world):
    errors = assert_refused(world, "referrals", referrals=[{"organisation": "Buurtwerk"}])
    assert not any("onstraint" in message for message in errors["referrals"])


def test_a_valid_decline_stores_reason_advice_and_a_programme_referral(world, other_programme):
    decline(
        world,
        reason=f"  {REASON}  ",
        advice=f"\n{ADVICE}\n",
        referrals=[{"programme": other_programme, "note": "They fund street gardens."}],
    )

    application = world.application
    application.refresh_from_db()
    assert application.state == Application.State.DECLINED
    assert (application.decline_reason, application.decline_advice) == (REASON, ADVICE)
    assert application.decided_at is not None
    referral = application.referrals.get()
    assert (referral.programme, referral.note) == (other_programme, "They fund street gardens.")


def test_a_valid_decline_stores_a_contact_referral(world):
    decline(world, referrals=[CONTACT_REFERRAL, {"contact_name": "Piet", "email": "p@example.org"}])

    first, second = world.application.referrals.all()
    assert (first.organisation, first.contact_name, first.phone) == (
        "Buurtwerk Oost",
        "Anna de Vries",
        "+31201234567",  # typed as "020 123 4567", kept in one form
    )
    assert first.phone_display == "020 123 4567"
    assert first.programme is None
    assert (second.contact_name, second.email) == ("Piet", "p@example.org")


def test_the_decline_email_tells_the_network_why_what_now_and_where_to_go(
    world, other_programme, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        decline(world, referrals=[{"programme": other_programme}, CONTACT_REFERRAL])

    assert sorted(message.to[0] for message in mailoutbox) == sorted(
        [world.coordinator.email, world.member.email]
    )
    body = mailoutbox[0].body
    assert REASON in body
    assert ADVICE in body
    assert "Green Streets (City Fund)" in body
    assert (
        "Buurtwerk Oost – Anna de Vries, 020 123 4567: Helps groups without a foundation." in body
    )
    assert "Garden" in mailoutbox[0].subject


def test_no_email_is_sent_when_the_decline_is_refused(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        decline(world, referrals=[])

    assert mailoutbox == []
