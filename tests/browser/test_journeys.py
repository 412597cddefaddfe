"""The three journeys of the web screens, walked in a real browser with axe on every page.

1. A volunteer finds a programme open to informal groups, signs in by magic link, creates a
   network, writes and submits the Idea step.
2. An officer comments on one question and requests changes; the volunteer sees the comment
   beside that question, revises and resubmits; the officer sees the diff and accepts; and so on
   to ready_for_decision; a manager awards.
3. An officer declines another application; the network sees reason, advice and referral.
"""

import re

import pytest
from django.conf import settings
from django.core import mail
from playwright.sync_api import expect

from applications import services
from applications.models import Application, NetworkMember
from funds.models import FundMembership
from tests.applications.factories import COMPLETE_ANSWERS, NetworkFactory, NetworkMemberFactory
from tests.funds.factories import FundMembershipFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_volunteer_finds_a_programme_signs_in_by_link_and_submits_the_idea(
    page, live_server, check_page
):
    open_to_groups = ProgrammeFactory(title="Together in the street", accepts_legal_entity=False)
    ProgrammeFactory(
        title="City projects", accepts_cooperation_agreement=False, accepts_host_organisation=False
    )

    page.goto(live_server.url + "/")
    check_page(page, "catalogue")
    page.get_by_label("Open to groups without a foundation or association").check()
    page.get_by_role("button", name="Show funds").click()
    expect(page.get_by_role("link", name="Together in the street", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="City projects", exact=True)).to_have_count(0)
    check_page(page)

    page.get_by_role("link", name="Together in the street", exact=True).click()
    check_page(page, "programme")
    page.get_by_role("button", name="Apply").first.click()

    # Not signed in: the sign-in page, where a link by e-mail is the first option.
    check_page(page, "sign-in")
    page.get_by_label("Your e-mail address").fill("vera@example.org")
    page.get_by_role("button", name="Send me a sign-in link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("e-mail")
    check_page(page)
    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    page.goto(live_server.url + link.removeprefix(settings.SITE_URL))
    # The link opens a page with a button: only pressing it uses the one-time link.
    check_page(page)
    page.get_by_role("button", name="Sign in", exact=True).click()
    check_page(page, "dashboard")

    # Signed in, back at the application; first a network is needed.
    page.goto(f"{live_server.url}/programmes/{open_to_groups.slug}/apply/")
    check_page(page)
    page.get_by_role("link", name="Start a network").click()
    check_page(page, "network-form")
    page.get_by_label("Name").fill("Street garden")
    page.get_by_label("Place (town, village or neighbourhood)").fill("Amsterdam-Oost")
    page.get_by_role("button", name="Create the network").click()

    check_page(page, "application-start")
    page.get_by_label("A short title for your application").fill("Garden on the square")
    page.get_by_label("How much money do you ask for? (€)").fill("1.250")
    page.get_by_role("button", name="Start the application").click()

    check_page(page, "step-write")
    for label, answer in [
        ("What do you want to do?", "A vegetable garden on the square"),
        ("Why is this needed?", "There is no green space"),
        ("Who is it for?", "Everyone on the street"),
    ]:
        page.get_by_label(label, exact=True).fill(answer)
    page.get_by_role("button", name="Save and submit this step").click()
    check_page(page)

    application = Application.objects.get(title="Garden on the square")
    assert application.state == Application.State.STEP_SUBMITTED
    assert application.requested_amount == 1250
    assert application.network.members.get().role == NetworkMember.Role.COORDINATOR


@pytest.fixture
def review_world():
    programme = ProgrammeFactory(title="Together in the street")
    officer = FundMembershipFactory(fund=programme.fund, role=FundMembership.Role.OFFICER).user
    manager = FundMembershipFactory(fund=programme.fund, role=FundMembership.Role.MANAGER).user
    network = NetworkFactory(name="Street garden")
    coordinator = NetworkMemberFactory(network=network, role=NetworkMember.Role.COORDINATOR).user
    application = services.application_create(
        network=network,
        programme=programme,
        actor=coordinator,
        title="Garden",
        requested_amount="1000",
    )
    return programme, officer, manager, coordinator, application


def submit(application, coordinator):
    application.refresh_from_db()
    step = application.current_step
    services.step_save_answers(step=step, actor=coordinator, content=COMPLETE_ANSWERS[step.key])
    services.application_submit_step(application=application, actor=coordinator)


def test_review_round_trip_to_an_award(
    page, live_server, check_page, review_world, sign_in, sign_out
):
    programme, officer, manager, coordinator, application = review_world
    submit(application, coordinator)

    # The officer finds the step in the queue and asks about one question.
    sign_in(officer)
    page.goto(live_server.url + "/queue/")
    check_page(page, "queue")
    page.get_by_role("link", name="Garden").first.click()
    check_page(page, "application-officer")
    page.goto(f"{live_server.url}/applications/{application.pk}/steps/idea/")
    check_page(page, "step-review")
    why = page.locator("article#q-why")
    why.get_by_text("Comment on this question").click()  # folded away: one tap opens it
    why.get_by_label("Comment").fill("Which green space do you mean?")
    why.get_by_role("button", name=re.compile("comment", re.I)).click()
    expect(page.get_by_text("Which green space do you mean?")).to_be_visible()
    page.get_by_role("button", name="Request changes").click()
    check_page(page)
    application.refresh_from_db()
    assert application.state == Application.State.CHANGES_REQUESTED
    sign_out()

    # The volunteer sees the comment beside that question, revises and resubmits.
    sign_in(coordinator)
    page.goto(f"{live_server.url}/applications/{application.pk}/steps/idea/")
    check_page(page, "step-changes-requested")
    question = page.locator(
        "section.question", has=page.get_by_label("Why is this needed?", exact=True)
    )
    expect(question).to_contain_text("Which green space do you mean?")
    page.get_by_label("Why is this needed?", exact=True).fill(
        "The square behind the school has no trees"
    )
    page.get_by_role("button", name="Save and submit this step").click()
    sign_out()

    # The officer sees what changed and accepts; the next steps follow until the decision.
    sign_in(officer)
    page.goto(f"{live_server.url}/applications/{application.pk}/steps/idea/")
    expect(page.locator("ins", has_text="square").first).to_be_visible()
    check_page(page, "step-diff")
    page.get_by_role("button", name="Accept step").click()
    check_page(page)
    for _ in range(3):
        submit(application, coordinator)
        application.refresh_from_db()
        page.goto(
            f"{live_server.url}/applications/{application.pk}/steps/{application.current_step.key}/"
        )
        page.get_by_role("button", name="Accept step").click()
    application.refresh_from_db()
    assert application.state == Application.State.READY_FOR_DECISION
    sign_out()

    # The manager awards within the remaining budget.
    sign_in(manager)
    page.goto(f"{live_server.url}/applications/{application.pk}/")
    check_page(page, "application-ready")
    page.get_by_role("button", name="Award").click()
    check_page(page, "award")
    page.get_by_label("Amount to award (€)").fill("900")
    page.get_by_role("button", name="Award").click()
    check_page(page)
    application.refresh_from_db()
    assert application.state == Application.State.AWARDED
    assert application.awarded_amount == 900


def test_decline_shows_reason_advice_and_referral_to_the_network(
    page, live_server, check_page, review_world, sign_in, sign_out
):
    programme, officer, manager, coordinator, application = review_world
    submit(application, coordinator)

    sign_in(officer)
    page.goto(f"{live_server.url}/applications/{application.pk}/steps/idea/")
    page.get_by_role("link", name="Decline with advice").click()
    check_page(page, "decline")
    page.get_by_label("Why do you decline?").fill("We only fund activities, not equipment.")
    page.get_by_label("Advice: what could the network do now?").fill(
        "Ask the neighbourhood budget."
    )
    page.get_by_label("Organisation").first.fill("Municipality, idea broker")
    page.get_by_label("Phone").first.fill("020 555 0101")
    page.get_by_role("button", name="Decline with advice").click()
    check_page(page)
    sign_out()

    sign_in(coordinator)
    page.goto(f"{live_server.url}/applications/{application.pk}/")
    check_page(page, "declined")
    main = page.locator("main")
    expect(main).to_contain_text("We only fund activities, not equipment.")
    expect(main).to_contain_text("Ask the neighbourhood budget.")
    expect(main.get_by_role("link", name="020 555 0101")).to_have_attribute(
        "href", re.compile("^tel:")
    )
