"""The directory's pages, for fund staff only: the list with its filters, add, edit and
"Still correct". A network member gets 404 (the directory is not theirs to see), a visitor who
is not signed in is sent to sign in."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from directory.models import CHECK_EVERY, DirectoryEntry
from tests.directory.factories import add_entry, province, theme

pytestmark = pytest.mark.django_db

LIST = reverse("directory_list")
ADD = reverse("directory_add")


def edit_url(entry):
    return reverse("directory_edit", args=[entry.pk])


def checked_url(entry):
    return reverse("directory_mark_checked", args=[entry.pk])


def names(response) -> list[str]:
    return [entry.name for entry in response.context["entries"]]


FORM = {
    "name": "Repair café Noord",
    "kind": "business",
    "offer": "Tools and a room on Saturdays.",
    "province": "",
    "place": "Amsterdam",
    "phone": "020-1234567",
    "email": "",
    "url": "",
    "languages": ["nl", "ar"],
}


# --- who may ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["coordinator", "member", "outsider"])
def test_the_directory_is_hidden_from_everyone_but_fund_staff(client, world, who):
    entry = add_entry(world.officer)
    client.force_login(getattr(world, who))
    assert client.get(LIST).status_code == HTTPStatus.NOT_FOUND
    assert client.get(ADD).status_code == HTTPStatus.NOT_FOUND
    assert client.post(ADD, FORM).status_code == HTTPStatus.NOT_FOUND
    assert client.get(edit_url(entry)).status_code == HTTPStatus.NOT_FOUND
    assert client.post(edit_url(entry), FORM).status_code == HTTPStatus.NOT_FOUND
    assert client.post(checked_url(entry)).status_code == HTTPStatus.NOT_FOUND
    assert list(DirectoryEntry.objects.values_list("name", flat=True)) == ["Buurtwerk Oost"]
    assert "Referral directory" not in client.get(reverse("home")).content.decode()


def test_a_visitor_who_is_not_signed_in_is_asked_to_sign_in(client, world):
    entry = add_entry(world.officer)
    for url in (LIST, ADD, edit_url(entry)):
        response = client.get(url)
        assert response.status_code == HTTPStatus.FOUND
        assert response.url.startswith(reverse("login"))
    response = client.post(checked_url(entry))
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("login"))


def test_fund_staff_find_the_directory_in_the_menu(client, world):
    client.force_login(world.manager)
    assert f'href="{LIST}"' in client.get(reverse("home")).content.decode()


# --- the list ---------------------------------------------------------------------------------


def test_the_list_shows_what_a_referral_needs_and_marks_an_old_entry(client, world):
    entry = add_entry(
        world.officer,
        province=province("NL-UT"),
        place="Utrecht",
        neighbourhood="Kanaleneiland",
        languages=["tr", "ar"],
        email="hallo@buurtwerk.nl",
        themes=[theme("Greening")],
    )
    add_entry(world.officer, name="Fresh Fund", kind="fund")
    DirectoryEntry.objects.filter(pk=entry.pk).update(
        checked_at=timezone.now() - CHECK_EVERY - timedelta(days=3)
    )
    client.force_login(world.officer)
    page = client.get(LIST).content.decode()
    assert "Buurtwerk Oost" in page and "Welfare organisation" in page
    assert "Help with a plan and a budget." in page
    assert "Utrecht · Utrecht · Kanaleneiland" in page
    assert "Türkçe" in page and "العربية" in page
    assert 'href="tel:+31201234567">020 123 4567</a>' in page
    assert 'href="mailto:hallo@buurtwerk.nl"' in page
    assert "Greening" in page
    assert page.count("Last checked") == 2
    assert page.count("Not checked for over a year") == 1


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["Everywhere", "In Utrecht", "Noord-Holland garden"]),
        ({"province": "NL-UT"}, ["Everywhere", "In Utrecht"]),
        ({"theme": "greening"}, ["Everywhere", "Noord-Holland garden"]),
        ({"kind": "fund"}, ["In Utrecht"]),
        ({"text": "seeds garden"}, ["Noord-Holland garden"]),
        ({"stale": "on"}, ["In Utrecht"]),
    ],
)
def test_the_filters_narrow_the_list(client, world, query, expected):
    greening, care = theme("Greening"), theme("Care")
    add_entry(world.officer, name="Everywhere", offer="Advice for any group.")
    utrecht = add_entry(
        world.officer, name="In Utrecht", kind="fund", province=province("NL-UT"), themes=[care]
    )
    add_entry(
        world.officer,
        name="Noord-Holland garden",
        offer="Seeds and tools for a garden.",
        province=province("NL-NH"),
        themes=[greening],
    )
    DirectoryEntry.objects.filter(pk=utrecht.pk).update(
        checked_at=timezone.now() - CHECK_EVERY - timedelta(days=1)
    )
    if "province" in query:
        query = {**query, "province": province(query["province"]).pk}
    if "theme" in query:
        query = {**query, "theme": greening.pk}
    client.force_login(world.officer)
    response = client.get(LIST, query)
    assert response.status_code == HTTPStatus.OK
    assert names(response) == expected


# --- adding and editing -----------------------------------------------------------------------


def test_an_officer_adds_someone_and_sees_them_in_the_list(client, world):
    client.force_login(world.officer)
    assert client.get(ADD).status_code == HTTPStatus.OK
    response = client.post(ADD, FORM)
    entry = DirectoryEntry.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == f"{LIST}#entry-{entry.pk}"
    assert entry.phone == "+31201234567" and entry.languages == ["nl", "ar"]
    assert entry.added_by == world.officer and entry.province is None


def test_a_bad_phone_number_is_refused_at_its_field_and_nothing_typed_is_lost(client, world):
    client.force_login(world.officer)
    response = client.post(ADD, {**FORM, "phone": "abc"})
    assert response.status_code == HTTPStatus.OK
    form = response.context["form"]
    assert form.errors["phone"][0].startswith("Enter a phone number that can be called")
    page = response.content.decode()
    assert 'value="Repair café Noord"' in page and "Tools and a room on Saturdays." in page
    assert 'value="abc"' in page
    assert not DirectoryEntry.objects.exists()


def test_an_entry_without_a_way_to_reach_them_is_refused_on_the_form(client, world):
    client.force_login(world.officer)
    response = client.post(ADD, {**FORM, "phone": ""})
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].non_field_errors() == [
        "Give a phone number, an e-mail address or a web address."
    ]
    assert "Give a phone number, an e-mail address or a web address." in response.content.decode()
    assert not DirectoryEntry.objects.exists()


def test_the_edit_page_shows_the_entry_and_saving_counts_as_a_check(client, world):
    entry = add_entry(world.officer, languages=["pl"])
    DirectoryEntry.objects.filter(pk=entry.pk).update(
        checked_at=timezone.now() - CHECK_EVERY - timedelta(days=1)
    )
    client.force_login(world.manager)
    page = client.get(edit_url(entry)).content.decode()
    assert 'value="020 123 4567"' in page and 'value="Buurtwerk Oost"' in page
    response = client.post(
        edit_url(entry), {**FORM, "name": "Buurtwerk Oost", "url": "buurtwerk.nl"}
    )
    assert response.status_code == HTTPStatus.FOUND
    entry.refresh_from_db()
    assert entry.url == "https://buurtwerk.nl" and entry.kind == "business"
    assert entry.checked_by == world.manager and not entry.is_stale()


def test_still_correct_marks_the_entry_checked_today(client, world):
    entry = add_entry(world.officer)
    DirectoryEntry.objects.filter(pk=entry.pk).update(
        checked_at=timezone.now() - CHECK_EVERY - timedelta(days=1)
    )
    client.force_login(world.manager)
    assert client.get(checked_url(entry)).status_code == HTTPStatus.METHOD_NOT_ALLOWED
    response = client.post(checked_url(entry), {"next": f"{LIST}?stale=on"})
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == f"{LIST}?stale=on#entry-{entry.pk}"
    entry.refresh_from_db()
    assert not entry.is_stale() and entry.checked_by == world.manager


def test_still_correct_does_not_send_you_to_another_site(client, world):
    entry = add_entry(world.officer)
    client.force_login(world.officer)
    response = client.post(checked_url(entry), {"next": "https://evil.example/"})
    assert response.url == f"{LIST}#entry-{entry.pk}"


def test_the_list_reads_the_same_number_of_queries_for_more_entries(
    client, world, django_assert_num_queries
):
    greening = theme("Greening")
    add_entry(world.officer, name="First", themes=[greening], province=province("NL-UT"))
    client.force_login(world.officer)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for number in range(5):
        add_entry(
            world.officer,
            name=f"More {number}",
            themes=[greening],
            province=province("NL-NH"),
            languages=["nl"],
        )
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(names(client.get(LIST))) == 6
