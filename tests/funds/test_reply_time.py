"""The promised reply time of a programme, and a fund officer's work phone: edited in the admin,
shown on the programme page and in the API."""

from http import HTTPStatus

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from applications import services
from funds.models import FundMembership, Programme
from tests.funds.factories import ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def programme_page(client, programme) -> str:
    response = client.get(reverse("programme_detail", args=[programme.slug]))
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()


def test_the_programme_page_tells_applicants_how_soon_the_fund_answers(client):
    programme = ProgrammeFactory(reply_working_days=15)
    content = programme_page(client, programme)
    assert "The fund answers a submitted step within 15 working days." in content
    assert "Weekends and public holidays do not count." in content


def test_one_working_day_is_singular(client):
    content = programme_page(client, ProgrammeFactory(reply_working_days=1))
    assert "within 1 working day." in content


def test_the_default_promise_is_ten_working_days(client):
    assert "within 10 working days." in programme_page(client, ProgrammeFactory())


def test_the_admin_edits_the_reply_time(admin_client):
    programme = ProgrammeFactory()
    url = reverse("admin:funds_programme_change", args=[programme.pk])
    content = admin_client.get(url).content.decode()
    assert 'name="reply_working_days"' in content
    assert Programme._meta.get_field("reply_working_days").editable


def test_the_admin_edits_an_officers_work_phone(admin_client, world):
    membership = FundMembership.objects.get(user=world.officer)
    url = reverse("admin:funds_fundmembership_change", args=[membership.pk])
    response = admin_client.post(
        url,
        {"fund": world.fund.pk, "user": world.officer.pk, "role": "officer", "phone": "020 1"},
    )
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:2000]
    membership.refresh_from_db()
    assert membership.phone == "020 1"
    fund_page = admin_client.get(reverse("admin:funds_fund_change", args=[world.fund.pk]))
    assert 'name="memberships-0-phone"' in fund_page.content.decode()


def test_the_api_shows_the_reply_time(world):
    client = APIClient(HTTP_HOST="127.0.0.1")
    client.force_authenticate(world.coordinator)
    body = client.get(f"/api/v1/programmes/{world.programme.slug}/").json()
    assert body["reply_working_days"] == 10


def test_the_api_names_the_lead_officer_of_an_application(world):
    client = APIClient(HTTP_HOST="127.0.0.1")
    client.force_authenticate(world.coordinator)
    url = f"/api/v1/applications/{world.application.pk}/"
    assert client.get(url).json()["lead_officer"] is None
    world.officer.first_name, world.officer.last_name = "Anna", "Jansen"
    world.officer.save()
    services.application_assign_lead_officer(
        application=world.application, officer=world.officer, actor=world.manager
    )
    assert client.get(url).json()["lead_officer"] == {"name": "Anna Jansen"}
    listed = client.get("/api/v1/applications/").json()["results"]
    assert listed[0]["lead_officer"] == {"name": "Anna Jansen"}
