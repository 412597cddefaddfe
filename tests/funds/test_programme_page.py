"""The public programme page: who can apply in plain words, and the steps as a volunteer reads
them (no developer diagram)."""

import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from funds.default_steps import DEFAULT_STEPS
from funds.models import StepDefinition
from tests.funds.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db

FOUNDATIONS_ONLY = {
    "accepts_legal_entity": True,
    "accepts_cooperation_agreement": False,
    "accepts_host_organisation": False,
    "accepts_support_only": False,
}


def page(client, programme) -> str:
    response = client.get(reverse("programme_detail", args=[programme.slug]))
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()


def test_a_foundations_only_programme_says_a_group_without_one_cannot_apply(client):
    content = page(client, ProgrammeFactory(**FOUNDATIONS_ONLY))
    assert 'data-eligibility="legal-entity-only"' in content
    assert "A group without one cannot apply here." in content
    assert f"{reverse('home')}?informal=on" in content
    assert "no foundation or association needed" not in content


def test_a_programme_open_to_informal_groups_says_so_with_each_way_in_plain_words(client):
    content = page(
        client,
        ProgrammeFactory(
            accepts_cooperation_agreement=True,
            accepts_host_organisation=True,
            accepts_support_only=True,
            min_signatories=3,
        ),
    )
    assert 'data-eligibility="informal"' in content
    assert "Groups without a foundation or association can apply" in content
    assert "at least 3 members sign together" in content
    assert "an existing organisation receives and manages the money" in content
    assert "instead of money" in content
    assert "cannot apply here" not in content


def test_no_developer_diagram_or_code_names_on_the_page(client):
    for language in ("en", "nl"):
        client.cookies["django_language"] = language
        content = page(client, ProgrammeFactory())
        for code in ("applications.Application", "submit_step", "accept_step", "workflow.png"):
            assert code not in content, (language, code)


def test_the_steps_are_listed_in_order_each_saying_what_the_fund_does_next(client):
    content = page(client, ProgrammeFactory())
    steps = content[
        content.index("<ol data-steps>") : content.index("</ol>", content.index("<ol data-steps>"))
    ]
    items = re.findall(r"<li>\s*<strong>([^<]+)</strong>", steps)
    titles = [step["title"]["en"] for step in DEFAULT_STEPS]
    assert items == [*titles, "The decision"]
    for next_title in titles[1:]:
        assert f"opens the next step, “{next_title}”" in steps
    assert steps.count("You answer the questions and send the step to the fund.") == 4
    assert "Then the fund decides." in steps
    assert "say “no” after any step" in content and "with advice" in content


def test_a_programme_with_its_own_single_step_goes_straight_to_the_decision(client):
    programme = ProgrammeFactory()
    StepDefinition.objects.create(programme=programme, order=1, key="quick", title="Quick ask")
    content = page(client, programme)
    assert "Quick ask" in content
    assert "opens the next step" not in content
    assert "Then the fund decides." in content
