"""The public catalogue and programme pages."""

import datetime
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from funds.models import StepDefinition, Theme
from tests.funds.factories import FundFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def titles(response) -> set[str]:
    return {card["programme"].title for card in response.context["cards"]}


@pytest.fixture
def catalogue():
    green = Theme.objects.create(name="Green", slug="green")
    care = Theme.objects.create(name="Care", slug="care")
    east = FundFactory(region="Amsterdam")
    east.themes.add(green)
    north = FundFactory(region="Groningen")
    north.themes.add(care)
    today = timezone.localdate()
    ProgrammeFactory(
        title="Garden money",
        fund=east,
        max_amount=Decimal("2000"),
        accepts_legal_entity=False,
        accepts_cooperation_agreement=True,
        accepts_host_organisation=False,
    )
    ProgrammeFactory(
        title="Care money",
        fund=north,
        max_amount=Decimal("8000"),
        accepts_legal_entity=True,
        accepts_cooperation_agreement=False,
        accepts_host_organisation=False,
        accepts_support_only=False,
    )
    ProgrammeFactory(
        title="Closed money",
        fund=east,
        opens_on=today - datetime.timedelta(days=60),
        closes_on=today - datetime.timedelta(days=1),
    )
    ProgrammeFactory(
        title="Future money",
        fund=east,
        opens_on=today + datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=60),
    )
    return {"green": green, "care": care}


def test_catalogue_lists_only_open_programmes(client, catalogue):
    response = client.get(reverse("home"))
    assert response.status_code == HTTPStatus.OK
    assert titles(response) == {"Garden money", "Care money"}
    assert "Find a fund for your plan" in response.content.decode()


def test_theme_filter(client, catalogue):
    response = client.get(reverse("home"), {"theme": catalogue["green"].pk})
    assert titles(response) == {"Garden money"}


def test_region_filter(client, catalogue):
    response = client.get(reverse("home"), {"region": "Groningen"})
    assert titles(response) == {"Care money"}


def test_region_filter_never_shows_closed_programmes(client, catalogue):
    response = client.get(reverse("home"), {"region": "Amsterdam"})
    assert titles(response) == {"Garden money"}


def test_amount_filter_keeps_programmes_that_give_at_least_the_amount(client, catalogue):
    response = client.get(reverse("home"), {"amount": "3000"})
    assert titles(response) == {"Care money"}
    response = client.get(reverse("home"), {"amount": "2000"})
    assert titles(response) == {"Garden money", "Care money"}


def test_informal_filter_keeps_programmes_for_groups_without_legal_entity(client, catalogue):
    response = client.get(reverse("home"), {"informal": "on"})
    assert titles(response) == {"Garden money"}


def test_filters_combine(client, catalogue):
    response = client.get(reverse("home"), {"informal": "on", "amount": "5000"})
    assert titles(response) == set()
    assert "No open programme matches" in response.content.decode()


def test_card_shows_fund_region_amount_and_what_it_accepts(client, catalogue):
    content = client.get(reverse("home"), {"region": "Amsterdam"}).content.decode()
    assert "Garden money" in content
    assert "Amsterdam" in content
    assert "2.000" in content or "2,000" in content
    assert "Cooperation agreement between members" in content
    assert "Legal entity (foundation or association)" not in content


def test_programme_page_shows_steps_contact_and_arrangements(client):
    fund = FundFactory(
        name="Buurtfonds", contact_name="Fenna", contact_phone="020-1234567", contact_email="f@x.nl"
    )
    programme = ProgrammeFactory(
        fund=fund, description="Money for streets", max_amount=Decimal("1500")
    )
    response = client.get(reverse("programme_detail", args=[programme.slug]))
    assert response.status_code == HTTPStatus.OK
    content = response.content.decode()
    for text in ("Money for streets", "Buurtfonds", "Fenna", "020-1234567", "f@x.nl"):
        assert text in content
    assert "1.500" in content or "1,500" in content
    assert "Host organisation receives the money" in content
    assert "Support only, no money" not in content
    # The four default steps, in order, with their questions (English or Dutch).
    positions = [content.find(t) for t in ("Idea", "Plan", "Budget", "Accountability")]
    assert -1 not in positions and positions == sorted(positions)
    assert "workflow.png" not in content
    assert reverse("application_start", args=[programme.slug]) in content


def test_programme_page_uses_the_programmes_own_bilingual_steps(client):
    programme = ProgrammeFactory()
    StepDefinition.objects.create(
        programme=programme,
        order=1,
        key="quick",
        title="Quick ask",
        questions=[{"key": "what", "type": "text", "label": {"nl": "Wat?", "en": "What exactly?"}}],
    )
    content = client.get(
        reverse("programme_detail", args=[programme.slug]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Quick ask" in content
    assert "What exactly?" in content or "Wat?" in content
    assert "Accountability" not in content


def test_closed_programme_page_has_no_apply_link(client):
    today = timezone.localdate()
    programme = ProgrammeFactory(
        opens_on=today - datetime.timedelta(days=60), closes_on=today - datetime.timedelta(days=1)
    )
    content = client.get(reverse("programme_detail", args=[programme.slug])).content.decode()
    assert reverse("application_start", args=[programme.slug]) not in content
    assert "not open for applications" in content


def test_unknown_programme_is_404(client):
    assert (
        client.get(reverse("programme_detail", args=["nope"])).status_code == HTTPStatus.NOT_FOUND
    )
