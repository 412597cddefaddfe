"""Keeping the shared referral directory: fund staff of any fund add, edit and confirm entries;
every entry can be reached and its phone number can be called; an entry nobody checked for a
year says so."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from directory import services
from directory.models import CHECK_EVERY, DirectoryEntry
from tests.directory.factories import add_entry, province, theme
from tests.funds.factories import FundMembershipFactory

pytestmark = pytest.mark.django_db

PHONE_MESSAGE = (
    "Enter a phone number that can be called, for example 020 123 4567, 06 12345678 or "
    "+32 2 555 12 12."
)


def test_an_officer_adds_an_entry_in_one_form(world):
    greening = theme("Greening")
    entry = add_entry(
        world.officer,
        phone="06-12345678",
        url="www.buurtwerk.nl",
        themes=[greening],
        province=province("NL-UT"),
        place="Utrecht",
        languages=["nl", "tr"],
    )
    assert entry.phone == "+31612345678"
    assert entry.phone_display == "06 12345678"
    assert entry.url == "https://www.buurtwerk.nl"
    assert list(entry.themes.all()) == [greening]
    assert entry.language_names == ["Nederlands", "Türkçe"]
    assert entry.added_by == entry.checked_by == world.officer
    assert not entry.is_stale()


def test_a_manager_of_another_fund_keeps_the_same_shared_directory(world):
    entry = add_entry(world.officer)
    other_manager = FundMembershipFactory(role="manager").user
    services.entry_update(actor=other_manager, entry=entry, data={"place": "Diemen"})
    entry.refresh_from_db()
    assert entry.place == "Diemen" and entry.checked_by == other_manager


@pytest.mark.parametrize("who", ["coordinator", "member", "outsider"])
def test_only_fund_staff_may_add_edit_or_confirm(world, who):
    person = getattr(world, who)
    with pytest.raises(PermissionDenied) as refused:
        add_entry(person)
    assert str(refused.value) == (
        "Only people who work for a fund can change the referral directory."
    )
    assert not DirectoryEntry.objects.exists()
    entry = add_entry(world.officer)
    with pytest.raises(PermissionDenied):
        services.entry_update(actor=person, entry=entry, data={"name": "Taken over"})
    with pytest.raises(PermissionDenied):
        services.entry_mark_checked(actor=person, entry=entry)
    entry.refresh_from_db()
    assert entry.name == "Buurtwerk Oost" and entry.checked_by == world.officer


def test_an_entry_nobody_can_reach_is_refused_in_plain_words(world):
    with pytest.raises(ValidationError) as refused:
        add_entry(world.officer, phone="", email="", url="")
    assert refused.value.message_dict == {
        "__all__": ["Give a phone number, an e-mail address or a web address."]
    }
    assert not DirectoryEntry.objects.exists()


def test_a_phone_number_that_cannot_be_called_is_refused_at_the_field(world):
    with pytest.raises(ValidationError) as refused:
        add_entry(world.officer, phone="abc", email="hallo@buurtwerk.nl")
    assert refused.value.message_dict == {"phone": [PHONE_MESSAGE]}


def test_a_language_not_on_the_list_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        add_entry(world.officer, languages=["nl", "xx"])
    assert refused.value.message_dict == {"languages": ["Choose languages from the list."]}


def test_unknown_input_is_refused(world):
    with pytest.raises(ValidationError):
        add_entry(world.officer, secret="x")


def test_the_same_organisation_twice_in_one_region_is_refused(world):
    add_entry(world.officer, province=province("NL-UT"))
    with pytest.raises(ValidationError) as refused:
        add_entry(world.officer, name="buurtwerk oost", province=province("NL-UT"))
    assert refused.value.message_dict == {
        "name": ["The directory already has “buurtwerk oost” for this region."]
    }
    # Another province has its own Buurtwerk Oost.
    add_entry(world.officer, province=province("NL-NH"))
    assert DirectoryEntry.objects.count() == 2


def test_an_edit_changes_the_entry_and_counts_as_a_check(world):
    entry = add_entry(world.officer, themes=[theme("Greening")])
    DirectoryEntry.objects.filter(pk=entry.pk).update(
        checked_at=timezone.now() - CHECK_EVERY - timedelta(days=1)
    )
    services.entry_update(
        actor=world.manager, entry=entry, data={"phone": "+32 2 555 12 12", "themes": []}
    )
    entry.refresh_from_db()
    assert entry.phone == "+3225551212"
    assert not entry.themes.exists()
    assert entry.checked_by == world.manager and not entry.is_stale()
    assert entry.added_by == world.officer


def test_an_edit_without_themes_keeps_them(world):
    greening = theme("Greening")
    entry = add_entry(world.officer, themes=[greening])
    services.entry_update(actor=world.officer, entry=entry, data={"place": "Zaandam"})
    assert list(entry.themes.all()) == [greening]


def test_a_refused_edit_changes_nothing(world):
    entry = add_entry(world.officer)
    with pytest.raises(ValidationError):
        services.entry_update(actor=world.officer, entry=entry, data={"phone": "", "name": "X"})
    entry.refresh_from_db()
    assert entry.name == "Buurtwerk Oost" and entry.phone == "+31201234567"


def test_an_entry_not_checked_for_a_year_is_stale_until_someone_confirms_it(world):
    fresh = add_entry(world.officer, name="Fresh")
    old = add_entry(world.officer, name="Old")
    a_year_ago = timezone.now() - CHECK_EVERY
    DirectoryEntry.objects.filter(pk=old.pk).update(checked_at=a_year_ago - timedelta(days=1))
    DirectoryEntry.objects.filter(pk=fresh.pk).update(checked_at=a_year_ago + timedelta(days=1))
    assert list(DirectoryEntry.objects.stale()) == [old]
    old.refresh_from_db()
    assert old.is_stale()

    services.entry_mark_checked(actor=world.manager, entry=old)
    old.refresh_from_db()
    assert not old.is_stale() and old.checked_by == world.manager
    assert not DirectoryEntry.objects.stale().exists()
