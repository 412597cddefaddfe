""" "My data" from the attacker's side: only my own data, only for me, signed in."""

import json
from http import HTTPStatus

import pytest
from django.urls import reverse

from applications import services as application_services
from integrations.services import personal_token_create
from tests.applications.helpers import fill_current_step
from tests.privacy.helpers import BIRTH, prepared

pytestmark = pytest.mark.django_db

PAGES = ("my_data", "my_data_download", "account_delete")


def export(client, user) -> dict:
    client.force_login(user)
    response = client.get(reverse("my_data_download"))
    assert response.status_code == HTTPStatus.OK
    return json.loads(response.content)


@pytest.fixture
def shared(world):
    """The coordinator and the member both wrote in the same application and sign one agreement."""
    world.coordinator.first_name, world.coordinator.last_name = "Ada", "Visser"
    world.coordinator.save()
    world.member.first_name, world.member.last_name = "Bram", "Mulder"
    world.member.save()
    fill_current_step(world.application, world.member)
    step = world.application.current_step
    application_services.comment_create(
        step=step, actor=world.coordinator, body="Coordinator's own remark", question_key=""
    )
    application_services.comment_create(
        step=step, actor=world.member, body="The member's secret remark", question_key=""
    )
    personal_token_create(actor=world.member, name="Bram's script")
    return world


def test_my_export_holds_my_account_memberships_words_and_signature(client, shared):
    prepared(shared)
    data = export(client, shared.coordinator)
    assert data["account"] == [
        {
            "username": shared.coordinator.username,
            "first_name": "Ada",
            "last_name": "Visser",
            "email": shared.coordinator.email,
            "date_joined": data["account"][0]["date_joined"],
            "last_login": data["account"][0]["last_login"],
            "is_active": True,
            "has_password": True,
        }
    ]
    assert data["network_memberships"][0]["network"] == shared.network.name
    assert [c["comment"] for c in data["comments"]] == ["Coordinator's own remark"]
    assert [a["title"] for a in data["applications_created"]] == ["Garden"]
    [signature] = data["signatures"]
    assert signature["email"] == shared.coordinator.email
    assert signature["date_of_birth"] == BIRTH.isoformat()
    assert {entry["transition"] for entry in data["transition_log"]} <= {"submit_step", "withdraw"}


def test_another_persons_data_never_appears_in_my_export(client, shared):
    prepared(shared)
    body = json.dumps(export(client, shared.coordinator))
    for theirs in (
        shared.member.email,
        shared.member.username,
        "Bram",
        "Mulder",
        "The member's secret remark",
        "Bram's script",
        "Tuinstraat 2",  # the member's address on the same agreement
    ):
        assert theirs not in body
    page = client.get(reverse("my_data")).content.decode()
    assert "Mulder" not in page and "The member's secret remark" not in page
    assert "Coordinator&#x27;s own remark" in page


def test_an_outsider_sees_only_an_almost_empty_account(client, shared):
    data = export(client, shared.outsider)
    assert data["account"][0]["username"] == shared.outsider.username
    assert all(not rows for key, rows in data.items() if key not in {"account", "exported_at"})


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_is_sent_to_sign_in(client, world, name):
    url = reverse(name)
    for response in (client.get(url), client.post(url, {"confirm": "on"})):
        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"].startswith(reverse("login"))
    world.coordinator.refresh_from_db()
    assert world.coordinator.is_active


def test_the_download_is_an_attachment_that_is_never_cached(client, world):
    client.force_login(world.member)
    response = client.get(reverse("my_data_download"))
    assert response["Content-Disposition"].startswith('attachment; filename="eigenwijs-my-data-')
    assert "no-store" in response["Cache-Control"]
    assert "no-store" in client.get(reverse("my_data"))["Cache-Control"]


def test_the_export_takes_a_fixed_number_of_queries(client, shared, django_assert_max_num_queries):
    prepared(shared)
    client.force_login(shared.coordinator)
    with django_assert_max_num_queries(35):
        client.get(reverse("my_data_download"))


def test_the_footer_links_the_privacy_page_and_my_data(client, world):
    page = client.get(reverse("home")).content.decode()
    assert reverse("privacy") in page and reverse("my_data") not in page
    client.force_login(world.member)
    assert reverse("my_data") in client.get(reverse("home")).content.decode()
