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
from directory import services as directory_services
from directory.models import DirectoryEntry
from tests.directory.factories import add_entry, province, theme
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


# --- the referral directory -----------------------------------------------------------------


def in_the_directory(world):
    """A network in Amsterdam (Noord-Holland) asking a fund about greening, and a directory
    with entries near and far, on and off its theme."""
    greening, care = theme("Greening"), theme("Care")
    world.fund.themes.add(greening)
    world.network.province = province("NL-NH")
    world.network.area = "Amsterdam"
    world.network.save()
    nh, ut = province("NL-NH"), province("NL-UT")
    return {
        "national": add_entry(world.officer, name="A national fund", kind="fund"),
        "province": add_entry(world.officer, name="B province", province=nh, themes=[greening]),
        "place": add_entry(world.officer, name="C same place", province=nh, place="amsterdam"),
        "elsewhere": add_entry(world.officer, name="D Utrecht", province=ut),
        "other_theme": add_entry(world.officer, name="E care", province=nh, themes=[care]),
    }


def offered(response) -> list[str]:
    return [entry.name for entry in response.context["form"].fields["entries"].queryset]


def post_decline_with(client, world, *, entries=(), query="", **row):
    client.force_login(world.officer)
    data = {
        **MANAGEMENT,
        **REASON,
        "entries": [entry.pk for entry in entries],
        **{f"referrals-0-{key}": value for key, value in row.items()},
    }
    return client.post(decline_url(world.application) + query, data)


def test_the_decline_form_offers_the_directory_for_the_region_and_themes_nearest_first(
    client, world
):
    in_the_directory(world)
    client.force_login(world.officer)
    response = client.get(decline_url(world.application))
    assert offered(response) == ["C same place", "B province", "A national fund"]
    page = response.content.decode()
    assert "Refer to someone from the directory" in page and "D Utrecht" not in page
    assert "Show all entries in the directory" in page

    everything = client.get(decline_url(world.application) + "?all=1")
    assert offered(everything) == [
        "C same place",
        "B province",
        "E care",
        "A national fund",
        "D Utrecht",
    ]


def test_a_ticked_entry_becomes_a_referral_with_a_copy_of_its_contact(client, world):
    entries = in_the_directory(world)
    response = post_decline_with(client, world, entries=[entries["province"]])
    assert response.status_code == HTTPStatus.FOUND
    referral = Referral.objects.get()
    assert referral.entry == entries["province"]
    assert (referral.organisation, referral.phone, referral.note) == (
        "B province",
        "+31201234567",
        "Help with a plan and a budget.",
    )
    world.application.refresh_from_db()
    assert world.application.state == Application.State.DECLINED


def test_an_entry_outside_the_list_shown_is_refused(client, world):
    entries = in_the_directory(world)
    response = post_decline_with(client, world, entries=[entries["elsewhere"]])
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["entries"] == ["Choose from the entries shown."]
    assert_still_open(world)
    # With every entry shown it may be ticked.
    response = post_decline_with(client, world, entries=[entries["elsewhere"]], query="?all=1")
    assert response.status_code == HTTPStatus.FOUND
    assert Referral.objects.get().entry == entries["elsewhere"]


def test_the_network_keeps_the_phone_number_it_was_given_after_the_entry_changes(client, world):
    entries = in_the_directory(world)
    post_decline_with(client, world, entries=[entries["place"]])
    directory_services.entry_update(
        actor=world.manager, entry=entries["place"], data={"phone": "020 765 4321"}
    )
    client.force_login(world.member)
    page = client.get(reverse("application_detail", args=[world.application.pk])).content
    assert 'href="tel:+31201234567">020 123 4567</a>' in page.decode()
    assert "020 765 4321" not in page.decode()


def test_a_typed_in_contact_can_be_added_to_the_directory_with_the_decline(client, world):
    in_the_directory(world)
    response = post_decline_with(
        client,
        world,
        organisation="Speeltuin De Pijp",
        contact_name="Anna",
        email="anna@speeltuin.example",
        note="Lends tools and garden space.",
        add_to_directory="on",
    )
    assert response.status_code == HTTPStatus.FOUND
    referral = Referral.objects.get()
    entry = referral.entry
    assert (entry.name, entry.contact_name, entry.email, entry.offer) == (
        "Speeltuin De Pijp",
        "Anna",
        "anna@speeltuin.example",
        "Lends tools and garden space.",
    )
    assert entry.province == world.network.province
    assert [t.name for t in entry.themes.all()] == ["Greening"]
    assert entry.added_by == world.officer


def test_a_contact_for_the_directory_needs_a_note_saying_what_they_offer(client, world):
    response = post_decline_with(
        client, world, organisation="Speeltuin", phone="020 123 4567", add_to_directory="on"
    )
    assert response.status_code == HTTPStatus.OK
    row = response.context["referrals"].forms[0]
    assert row.errors["note"] == ["To add them to the directory, say in the note what they offer."]
    assert_still_open(world)
    assert not DirectoryEntry.objects.exists()


def test_a_refused_decline_adds_nobody_to_the_directory(world):
    with pytest.raises(ValidationError):
        services.application_decline(
            application=world.application,
            actor=world.officer,
            reason="",
            advice="Ask the district fund.",
            referrals=[
                {
                    "organisation": "Speeltuin",
                    "phone": "020 123 4567",
                    "note": "Tools",
                    "add_to_directory": True,
                }
            ],
        )
    assert_still_open(world)
    assert not DirectoryEntry.objects.exists()


def test_adding_someone_the_directory_already_has_is_refused_at_the_tick_box(world):
    entries = in_the_directory(world)
    with pytest.raises(ValidationError) as refused:
        referral_check(
            application=world.application,
            data={
                "organisation": "B province",
                "phone": "020 123 4567",
                "note": "Tools",
                "add_to_directory": True,
            },
        )
    assert refused.value.message_dict == {
        "add_to_directory": [
            "For the directory: The directory already has “B province” for this region."
        ]
    }
    assert DirectoryEntry.objects.count() == len(entries)


def test_a_directory_entry_is_given_by_id_or_instance_with_only_a_note(world):
    entries = in_the_directory(world)
    entry = entries["national"]
    by_id = referral_check(
        application=world.application, data={"entry": str(entry.pk), "note": "Call Piet"}
    )
    assert by_id.entry == entry and by_id.note == "Call Piet"
    assert referral_check(application=world.application, data={"entry": entry}).entry == entry
    for data, field in [
        ({"entry": 999999}, "entry"),
        ({"entry": "nope"}, "entry"),
        ({"entry": entry.pk, "phone": "020 123 4567"}, "entry"),
        ({"entry": entry.pk, "add_to_directory": True}, "entry"),
        ({"entry": entry.pk, "note": "x" * 2001}, "note"),
    ]:
        with pytest.raises(ValidationError) as refused:
            referral_check(application=world.application, data=data)
        assert list(refused.value.message_dict) == [field]


def test_an_entry_that_stands_for_an_open_programme_refers_to_that_programme(world):
    """Picking a directory entry of a programme in Eigenwijs the network can apply to makes a
    referral to that programme (the warm referral), with the entry's contact as well."""
    other = ProgrammeFactory(title="Kleine buurtideeën")
    entry = DirectoryEntry.objects.create(
        name="Fonds Zorgzame Buurt", offer="Kleine buurtideeën", phone="+31201234567",
        programme=other,
    )  # fmt: skip
    referral = referral_check(application=world.application, data={"entry": entry.pk})
    assert referral.programme == other
    assert (referral.organisation, referral.phone) == ("Fonds Zorgzame Buurt", "+31201234567")


def test_an_entry_whose_programme_the_network_cannot_apply_to_gives_only_its_contact(world):
    entry = DirectoryEntry.objects.create(
        name="Stadsfonds", offer="Voor stichtingen", phone="+31201234567",
        programme=foundations_only(),
    )  # fmt: skip
    referral = referral_check(application=world.application, data={"entry": entry.pk})
    assert referral.programme is None
    assert referral.organisation == "Stadsfonds"
