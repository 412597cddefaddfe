"""Eligibility before effort: a network that cannot apply to a programme hears so before it types
a title and an amount, from the same rule the service applies (funds.eligibility, asked through
applications.services.starting.eligibility_refusal), with the way out: people to invite, the
fund's contact and the programmes that do fit."""

from decimal import Decimal
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from applications import services
from applications.models import Application, Network, NetworkMember
from applications.services.starting import eligibility_refusal, network_facts, start_choices
from core.models import Province
from funds.eligibility import LegalForm
from tests.applications.factories import NetworkFactory, NetworkMemberFactory
from tests.funds.factories import ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db

FOUNDATIONS_ONLY = {
    "accepts_legal_entity": True,
    "accepts_cooperation_agreement": False,
    "accepts_host_organisation": False,
    "accepts_support_only": False,
}


def coordinator_of(*networks):
    user = UserFactory()
    for network in networks:
        NetworkMemberFactory(network=network, user=user, role=NetworkMember.Role.COORDINATOR)
    return user


def informal():
    return NetworkFactory(name="Buurtmoestuin", legal_status=Network.LegalStatus.NONE)


def association():
    return NetworkFactory(
        name="Repair Café", legal_status=Network.LegalStatus.ASSOCIATION, kvk_number="40123456"
    )


def test_an_informal_network_is_refused_by_a_foundations_only_programme():
    programme = ProgrammeFactory(**FOUNDATIONS_ONLY)
    assert "only supports foundations and associations" in eligibility_refusal(
        network=informal(), programme=programme
    )
    assert eligibility_refusal(network=association(), programme=programme) is None


def test_an_informal_network_may_apply_where_another_arrangement_is_accepted():
    programme = ProgrammeFactory(**{**FOUNDATIONS_ONLY, "accepts_host_organisation": True})
    assert eligibility_refusal(network=informal(), programme=programme) is None


def test_the_service_refuses_with_the_same_words_the_start_page_shows(client):
    programme = ProgrammeFactory(**FOUNDATIONS_ONLY)
    network = informal()
    user = coordinator_of(network)
    with pytest.raises(ValidationError) as refused:
        services.application_create(
            network=network,
            programme=programme,
            actor=user,
            title="Garden",
            requested_amount=Decimal("100"),
        )
    reason = eligibility_refusal(network=network, programme=programme)
    assert refused.value.message_dict["programme"] == [reason]
    client.force_login(user)
    page = client.get(reverse("application_start", args=[programme.slug])).content.decode()
    assert reason in page


def test_the_start_page_says_why_instead_of_showing_the_form(client):
    programme = ProgrammeFactory(**FOUNDATIONS_ONLY)
    client.force_login(coordinator_of(informal()))
    response = client.get(reverse("application_start", args=[programme.slug]))
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert 'data-eligibility="refused"' in page
    assert "Buurtmoestuin" in page
    assert 'name="title"' not in page and 'name="requested_amount"' not in page
    assert f"{reverse('home')}?informal=on" in page


def test_a_post_for_a_network_that_cannot_apply_creates_nothing(client):
    programme = ProgrammeFactory(**FOUNDATIONS_ONLY)
    network = informal()
    client.force_login(coordinator_of(network))
    response = client.post(
        reverse("application_start", args=[programme.slug]),
        {"network": network.pk, "title": "Garden", "requested_amount": "100"},
    )
    assert response.status_code == HTTPStatus.OK
    assert not Application.objects.exists()


def test_the_form_offers_only_the_networks_that_may_apply_and_names_the_others(client):
    programme = ProgrammeFactory(**FOUNDATIONS_ONLY)
    garden, repair = informal(), association()
    user = coordinator_of(garden, repair)
    choices = start_choices(user=user, programme=programme)
    assert list(choices.eligible) == [repair]
    assert [refused.network for refused in choices.refused] == [garden]
    client.force_login(user)
    page = client.get(reverse("application_start", args=[programme.slug])).content.decode()
    assert 'name="title"' in page
    assert f'<option value="{repair.pk}"' in page
    assert f'<option value="{garden.pk}"' not in page
    assert 'data-eligibility="partly"' in page


def test_a_network_that_may_apply_sees_the_form_and_no_refusal(client):
    programme = ProgrammeFactory()  # accepts informal networks
    client.force_login(coordinator_of(informal()))
    page = client.get(reverse("application_start", args=[programme.slug])).content.decode()
    assert 'name="title"' in page
    assert "data-eligibility" not in page


def test_someone_without_a_network_is_asked_to_start_one(client):
    programme = ProgrammeFactory(**FOUNDATIONS_ONLY)
    client.force_login(UserFactory())
    page = client.get(reverse("application_start", args=[programme.slug])).content.decode()
    assert reverse("network_create") in page
    assert "data-eligibility" not in page


# ---------------------------------------------------------------------------------------------
# What the network's record tells the rules
# ---------------------------------------------------------------------------------------------

ONLY_COOPERATION = {
    "accepts_legal_entity": False,
    "accepts_cooperation_agreement": True,
    "accepts_host_organisation": False,
    "accepts_support_only": False,
}


def test_only_accepted_members_with_an_e_mail_address_count_as_people_who_can_sign(
    django_capture_on_commit_callbacks,
):
    network = informal()
    coordinator = coordinator_of(network)
    NetworkMemberFactory(network=network)  # accepted, with an address: counts
    NetworkMemberFactory(network=network, user=UserFactory(email=""))  # no address to sign with
    NetworkMemberFactory(network=network, user=UserFactory(is_active=False))  # account closed
    with django_capture_on_commit_callbacks(execute=True):
        services.network_invite_member(
            network=network, actor=coordinator, email="pending@example.org"
        )
    facts = network_facts(network)
    assert facts.people == 2
    assert facts.legal_form == LegalForm.NONE and facts.amount is None
    assert facts.province is None


def test_the_network_s_legal_form_and_province_are_its_facts():
    network = association()
    network.province = Province.objects.get(code="NL-UT")
    network.save()
    facts = network_facts(network)
    assert facts.legal_form == LegalForm.ENTITY
    assert facts.province.code == "NL-UT"


def test_two_more_people_are_needed_where_only_a_cooperation_agreement_is_open():
    programme = ProgrammeFactory(**ONLY_COOPERATION, min_signatories=3)
    network = informal()
    coordinator_of(network)
    with translation.override("en"):
        reason = eligibility_refusal(network=network, programme=programme)
    assert reason.startswith("2 more people are needed to sign.")
    NetworkMemberFactory(network=network)
    NetworkMemberFactory(network=network)
    assert eligibility_refusal(network=network, programme=programme) is None


def test_a_network_without_a_province_is_not_refused_by_a_regional_programme():
    programme = ProgrammeFactory()
    programme.provinces.set([Province.objects.get(code="NL-UT")])
    network = informal()
    assert eligibility_refusal(network=network, programme=programme) is None
    network.province = Province.objects.get(code="NL-GR")
    network.save()
    assert "only for groups in Utrecht" in eligibility_refusal(network=network, programme=programme)


def test_the_service_refuses_too_few_people_inside_its_transaction_in_the_same_words():
    programme = ProgrammeFactory(**ONLY_COOPERATION, min_signatories=3)
    network = informal()
    user = coordinator_of(network)
    with pytest.raises(ValidationError) as refused:
        services.application_create(
            network=network,
            programme=programme,
            actor=user,
            title="Garden",
            requested_amount=Decimal("100"),
        )
    assert refused.value.message_dict["programme"] == [
        eligibility_refusal(network=network, programme=programme)
    ]
    assert not Application.objects.exists()


# ---------------------------------------------------------------------------------------------
# The start page: "2 more people are needed", the invitation link, the contact, other programmes
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def too_few(client):
    """A network of one coordinator, a programme whose only way is a cooperation agreement of
    three, and an open programme the network does fit (a host organisation signs there)."""
    programme = ProgrammeFactory(**ONLY_COOPERATION, min_signatories=3, title="Three sign")
    fund = programme.fund
    fund.contact_name, fund.contact_phone = "Fatima Ouali", "+31201234567"
    fund.contact_email = "fatima@fund.example"
    fund.save()
    fitting = ProgrammeFactory(title="Small things in the street")
    network = informal()
    coordinator = coordinator_of(network)
    client.cookies["django_language"] = "en"
    return programme, fitting, network, coordinator


def test_the_start_page_says_two_more_people_are_needed_with_a_link_to_invite_them(client, too_few):
    programme, fitting, network, coordinator = too_few
    client.force_login(coordinator)
    response = client.get(reverse("application_start", args=[programme.slug]))
    page = response.content.decode()
    assert 'data-eligibility="refused"' in page
    assert "2 more people are needed to sign." in page
    invite_url = reverse("network_detail", args=[network.pk]) + "#invite-heading"
    assert f'href="{invite_url}"' in page
    assert "Invite 2 more people to Buurtmoestuin" in page
    assert "Fatima Ouali" in page and 'href="tel:+31201234567"' in page
    assert "020 123 4567" in page and "fatima@fund.example" in page
    assert reverse("programme_detail", args=[fitting.slug]) in page
    assert 'name="title"' not in page


def test_the_invite_link_leads_the_coordinator_to_the_invitation_form(client, too_few):
    _programme, _fitting, network, coordinator = too_few
    client.force_login(coordinator)
    page = client.get(reverse("network_detail", args=[network.pk])).content.decode()
    assert 'id="invite-heading"' in page
    assert reverse("network_invite", args=[network.pk]) in page


def test_a_plain_member_is_not_offered_the_network_nor_the_invite_link(client, too_few):
    programme, _fitting, network, _coordinator = too_few
    member = NetworkMemberFactory(network=network).user
    client.force_login(member)
    page = client.get(reverse("application_start", args=[programme.slug])).content.decode()
    assert "data-eligibility" not in page
    assert "#invite-heading" not in page
    assert reverse("network_create") in page
    detail = client.get(reverse("network_detail", args=[network.pk])).content.decode()
    assert 'id="invite-heading"' not in detail
    response = client.post(
        reverse("network_invite", args=[network.pk]), {"email": "x@example.org", "role": "member"}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert not network.invitations.exists()


def test_an_outsider_cannot_reach_the_network_to_invite(client, too_few):
    programme, _fitting, network, _coordinator = too_few
    client.force_login(UserFactory())
    page = client.get(reverse("application_start", args=[programme.slug])).content.decode()
    assert "Buurtmoestuin" not in page
    assert client.get(reverse("network_detail", args=[network.pk])).status_code == (
        HTTPStatus.NOT_FOUND
    )
    response = client.post(
        reverse("network_invite", args=[network.pk]), {"email": "x@example.org", "role": "member"}
    )
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert not network.invitations.exists()


def test_every_refusal_on_the_start_page_shows_the_fund_s_contact(client):
    programme = ProgrammeFactory(**FOUNDATIONS_ONLY)
    programme.fund.contact_email = "info@fund.example"
    programme.fund.save()
    client.force_login(coordinator_of(informal()))
    page = client.get(reverse("application_start", args=[programme.slug])).content.decode()
    assert "data-fund-contact" in page and "info@fund.example" in page
    assert "#invite-heading" not in page  # not a matter of people


def test_the_start_page_in_dutch_uses_the_dutch_sentence(client, too_few):
    programme, _fitting, _network, coordinator = too_few
    client.cookies["django_language"] = "nl"
    client.force_login(coordinator)
    page = client.get(reverse("application_start", args=[programme.slug])).content.decode()
    with translation.override("nl"):
        expected = ngettext(
            "%(count)s more person is needed to sign.",
            "%(count)s more people are needed to sign.",
            2,
        ) % {"count": 2}
    assert expected in page


def test_the_start_page_asks_few_queries_for_several_refused_networks(
    client, django_assert_max_num_queries
):
    programme = ProgrammeFactory(**ONLY_COOPERATION, min_signatories=3)
    ProgrammeFactory()
    networks = [NetworkFactory(name=f"Network {n}") for n in range(4)]
    client.force_login(coordinator_of(*networks))
    # Per refused network: its people, and the open programmes checked for it.
    with django_assert_max_num_queries(40):
        response = client.get(reverse("application_start", args=[programme.slug]))
    assert response.content.decode().count("data-refused-network=") == 4


def test_the_network_form_takes_a_province_a_place_and_a_language(client):
    user = UserFactory()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("network_create")).content.decode()
    assert "Place (town, village or neighbourhood)" in page and "Language you work in" in page
    utrecht = Province.objects.get(code="NL-UT")
    response = client.post(
        reverse("network_create"),
        {
            "name": "Buurtmoestuin",
            "province": utrecht.pk,
            "area": "Zeist",
            "language": "ar",
            "legal_status": Network.LegalStatus.NONE,
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    network = Network.objects.get(name="Buurtmoestuin")
    assert (network.province, network.area, network.language) == (utrecht, "Zeist", "ar")


def test_the_network_form_refuses_an_unknown_province_at_the_field(client):
    client.force_login(UserFactory())
    response = client.post(
        reverse("network_create"),
        {"name": "Buurtmoestuin", "province": "999999", "language": "nl", "legal_status": "none"},
    )
    assert response.status_code == HTTPStatus.OK
    assert 'id="id_province_error"' in response.content.decode()
    assert not Network.objects.filter(name="Buurtmoestuin").exists()
