"""Declining through the API with the referral directory: ``{"entry": <id>}`` refers to an
entry (with a copy of its contact), ``"add_to_directory": true`` adds a typed-in contact in the
same transaction. The rules are ``applications.referrals``, as on the web."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from applications.models import Application, Referral
from directory.models import DirectoryEntry
from tests.api.conftest import assert_problem
from tests.directory.factories import add_entry, province, theme

pytestmark = pytest.mark.django_db

REASON = {"name": "decline", "reason": "Outside our region.", "advice": "Ask the district fund."}


def decline(w, *referrals, client="officer"):
    return w.clients[client].post(
        f"/api/v1/applications/{w.application.pk}/transitions/",
        {**REASON, "referrals": list(referrals)},
        format="json",
    )


def assert_still_open(w):
    w.application.refresh_from_db()
    assert w.application.state == Application.State.DRAFTING
    assert not Referral.objects.exists()


def test_a_directory_entry_by_id_becomes_a_referral_with_a_copy_of_its_contact(api_world):
    w = api_world
    entry = add_entry(w.officer, email="hallo@buurtwerk.nl")
    response = decline(w, {"entry": entry.pk}, {"entry": entry.pk, "note": "Ask for Piet."})
    assert response.status_code == 200, response.content
    first, second = response.json()["decline"]["referrals"]
    assert first["organisation"] == "Buurtwerk Oost" and first["phone"] == "+31201234567"
    assert first["note"] == "Help with a plan and a budget."
    assert second["note"] == "Ask for Piet."
    assert [r.entry for r in Referral.objects.order_by("pk")] == [entry, entry]


def test_an_unknown_entry_is_refused_at_its_field(api_world):
    w = api_world
    response = decline(w, {"contact_name": "Piet", "phone": "020 123 4567"}, {"entry": 999999})
    body = assert_problem(response, 400, field="referrals[1].entry")
    assert body["errors"]["referrals[1].entry"] == ["That directory entry does not exist."]
    assert_still_open(w)


def test_an_entry_with_its_own_contact_details_is_refused(api_world):
    w = api_world
    entry = add_entry(w.officer)
    response = decline(w, {"entry": entry.pk, "phone": "020 765 4321"})
    assert_problem(response, 400, field="referrals[0].entry")
    assert_still_open(w)


def test_a_fund_key_adds_a_typed_in_contact_to_the_directory(api_world):
    w = api_world
    w.fund.themes.add(theme("Greening"))
    w.network.province = province("NL-UT")
    w.network.save()
    response = decline(
        w,
        {
            "organisation": "Speeltuin",
            "url": "speeltuin.example",
            "note": "Garden space and tools.",
            "add_to_directory": True,
        },
        client="write_key",
    )
    assert response.status_code == 200, response.content
    entry = DirectoryEntry.objects.get()
    assert Referral.objects.get().entry == entry
    assert (entry.name, entry.url, entry.offer) == (
        "Speeltuin",
        "https://speeltuin.example",
        "Garden space and tools.",
    )
    assert entry.province == w.network.province
    assert [t.name for t in entry.themes.all()] == ["Greening"]
    assert entry.added_by == w.write_key.user


def test_adding_to_the_directory_needs_a_note_and_a_refusal_adds_nobody(api_world):
    w = api_world
    response = decline(
        w, {"organisation": "Speeltuin", "phone": "020 123 4567", "add_to_directory": True}
    )
    body = assert_problem(response, 400, field="referrals[0].note")
    assert body["errors"]["referrals[0].note"] == [
        "To add them to the directory, say in the note what they offer."
    ]
    assert_still_open(w)
    assert not DirectoryEntry.objects.exists()


def test_someone_who_may_not_decline_cannot_add_to_the_directory_either(api_world):
    w = api_world
    response = decline(
        w,
        {"organisation": "Speeltuin", "phone": "020 123 4567", "note": "Tools"},
        client="other_officer",
    )
    assert response.status_code in (403, 404)
    assert_still_open(w)
    assert not DirectoryEntry.objects.exists()


def test_the_schema_documents_entry_and_add_to_directory():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    fields = schema["components"]["schemas"]["ReferralInputRequest"]["properties"]
    assert fields["entry"]["type"] == "integer"
    assert fields["entry"]["description"].startswith("The id of a referral directory entry.")
    assert fields["add_to_directory"]["type"] == "boolean"
