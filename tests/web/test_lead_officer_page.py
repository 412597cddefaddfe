"""The lead officer on the application page: the fund chooses, the network sees whom to call."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from applications import services
from applications.models import LeadOfficerChange
from funds.models import FundMembership
from tests.applications.helpers import user_for
from tests.funds.factories import FundMembershipFactory

pytestmark = pytest.mark.django_db

FORM_ACTION = 'name="officer"'
CONTACT = "Your contact person at the fund"


def page(client, world, user):
    client.force_login(user)
    return client.get(reverse("application_detail", args=[world.application.pk]))


def assign_url(world):
    return reverse("application_lead_officer", args=[world.application.pk])


@pytest.fixture
def named(world):
    world.officer.first_name, world.officer.last_name = "Anna", "Jansen"
    world.officer.save()
    world.manager.first_name, world.manager.last_name = "Bram", "de Boer"
    world.manager.save()
    return world


@pytest.mark.parametrize("role", ["officer", "manager"])
def test_the_funds_staff_see_the_form_with_the_funds_people(client, named, role):
    content = page(client, named, getattr(named, role)).content.decode()
    assert FORM_ACTION in content
    assert f'action="{assign_url(named)}"' in content
    assert "Anna Jansen" in content and "Bram de Boer" in content
    assert CONTACT not in content  # the contact box is the network's


@pytest.mark.parametrize("role", ["member", "coordinator"])
def test_the_network_sees_the_contact_but_not_the_form(client, named, role):
    services.application_assign_lead_officer(
        application=named.application, officer=named.officer, actor=named.manager
    )
    FundMembership.objects.filter(user=named.officer).update(phone="020 555 0101")
    content = page(client, named, getattr(named, role)).content.decode()
    assert CONTACT in content
    assert "Anna Jansen" in content
    assert 'href="tel:0205550101"' in content
    assert named.officer.email not in content  # the phone number is enough
    assert FORM_ACTION not in content and assign_url(named) not in content
    assert "became the lead officer" not in content  # the history is the fund's


def test_the_network_mails_a_lead_officer_without_a_work_phone(client, named):
    services.application_assign_lead_officer(
        application=named.application, officer=named.officer, actor=named.manager
    )
    content = page(client, named, named.member).content.decode()
    assert f'href="mailto:{named.officer.email}"' in content


def test_without_a_lead_officer_the_network_sees_the_funds_general_contact(client, named):
    fund = named.fund
    fund.contact_name, fund.contact_phone, fund.contact_email = "Fondsbureau", "030 111", "a@f.nl"
    fund.save()
    content = page(client, named, named.coordinator).content.decode()
    assert CONTACT in content
    assert "Fondsbureau" in content and 'href="tel:030111"' in content
    assert 'href="mailto:a@f.nl"' in content


def test_the_officer_assigns_and_sees_the_short_history(client, named):
    client.force_login(named.officer)
    response = client.post(assign_url(named), {"officer": named.manager.pk})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].endswith("#lead-officer")
    named.application.refresh_from_db()
    assert named.application.lead_officer == named.manager
    content = client.get(response["Location"]).content.decode()
    assert "Bram de Boer is now the lead officer" in content
    assert "Bram de Boer became the lead officer" in content
    assert "by Anna Jansen" in content

    response = client.post(assign_url(named), {"officer": ""})
    assert response.status_code == HTTPStatus.FOUND
    named.application.refresh_from_db()
    assert named.application.lead_officer is None
    assert LeadOfficerChange.objects.count() == 2


@pytest.mark.parametrize("role", ["member", "coordinator"])
def test_the_network_may_not_assign(client, named, role):
    client.force_login(getattr(named, role))
    response = client.post(assign_url(named), {"officer": named.officer.pk})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "Only an officer of the fund" in response.content.decode()
    named.application.refresh_from_db()
    assert named.application.lead_officer is None
    assert not LeadOfficerChange.objects.exists()


@pytest.mark.parametrize("role", ["outsider", "other_fund_officer", "other_fund_manager"])
def test_people_without_a_part_in_the_application_get_a_404(client, named, role):
    client.force_login(user_for(named, role))
    response = client.post(assign_url(named), {"officer": named.officer.pk})
    assert response.status_code == HTTPStatus.NOT_FOUND
    named.application.refresh_from_db()
    assert named.application.lead_officer is None


def test_an_officer_of_another_fund_is_refused_at_the_field(client, named):
    elsewhere = FundMembershipFactory(role=FundMembership.Role.OFFICER).user
    client.force_login(named.manager)
    response = client.post(assign_url(named), {"officer": elsewhere.pk})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    content = response.content.decode()
    assert "Choose someone who works for the fund of this application." in content
    assert 'class="field field-invalid"' in content
    named.application.refresh_from_db()
    assert named.application.lead_officer is None
    assert not LeadOfficerChange.objects.exists()


def test_signing_in_comes_first_and_only_a_post_assigns(client, named):
    response = client.post(assign_url(named), {"officer": named.officer.pk})
    assert response.status_code == HTTPStatus.FOUND
    assert reverse("login") in response["Location"]
    client.force_login(named.officer)
    assert client.get(assign_url(named)).status_code == HTTPStatus.METHOD_NOT_ALLOWED
    named.application.refresh_from_db()
    assert named.application.lead_officer is None
