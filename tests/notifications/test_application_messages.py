"""Every event of an application reaches the other side, never the person who acted: quoted,
with a link to the exact place, in each recipient's language, and written with the change
(a rolled-back change writes nothing)."""

import datetime
import re
from decimal import Decimal
from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from applications import services
from applications.invitation_links import invitation_for_token
from applications.models import Application, Comment
from notifications import links
from notifications.models import Notification, Preference
from tests.applications.factories import COMPLETE_ANSWERS
from tests.applications.helpers import (
    CONTACT_REFERRAL,
    bring_to_state,
    fill_current_step,
    submit_current_step,
    to_ready_for_decision,
)

pytestmark = pytest.mark.django_db

#: A Friday; ten working days later is Friday 11 December 2026.
FRIDAY = datetime.datetime(2026, 11, 27, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


@pytest.fixture(autouse=True)
def dutch_by_default(settings):
    """As in production (the test settings default to English)."""
    settings.LANGUAGE_CODE = "nl"


@pytest.fixture
def english_member(world):
    """The network's plain member reads English; everyone else has no preference (Dutch)."""
    Preference.objects.create(user=world.member, language="en")
    return world.member


def written(kind):
    return Notification.objects.filter(kind=kind).select_related("recipient")


def to(kind) -> set:
    return {n.email for n in written(kind)}


def message(kind, user) -> Notification:
    return written(kind).get(recipient=user)


def step_page(world, key, anchor=""):
    path = reverse("step_detail", args=[world.application.pk, key])
    return f"{path}#{anchor}" if anchor else path


def application_page(world, anchor=""):
    path = reverse("application_detail", args=[world.application.pk])
    return f"{path}#{anchor}" if anchor else path


def lead(world, officer):
    Application.objects.filter(pk=world.application.pk).update(lead_officer=officer)
    world.application.refresh_from_db()


def token_in(body: str) -> str:
    return re.search(r"/invitations/([^/\s]+)/", body).group(1)


def emails(*users) -> set:
    return {user.email for user in users}


class Rollback(Exception):
    pass


def assert_rolled_back_writes_nothing(call):
    """``call`` writes messages in its transaction; rolled back, none of them is left."""
    before = Notification.objects.count()
    with pytest.raises(Rollback), transaction.atomic():
        call()
        assert Notification.objects.count() > before
        raise Rollback
    assert Notification.objects.count() == before


# ---------------------------------------------------------------------------------------------
# A comment: to the other side, never the author


def test_an_officers_comment_goes_to_the_networks_members_quoted_with_its_question(
    world, english_member
):
    services.comment_create(
        step=world.application.current_step,
        actor=world.officer,
        body="Who in the street\nwill water the plants?",
        question_key="what",
    )
    assert to("comment.created") == emails(world.coordinator, world.member)
    dutch = message("comment.created", world.coordinator)
    assert dutch.language == "nl"
    assert dutch.subject == 'Nieuwe reactie op "Garden" – stap Idee'
    assert 'schreef over de vraag "Wat wilt u doen?" in de stap "Idee"' in dutch.text
    assert world.fund.name in dutch.text and world.officer.username in dutch.text
    assert "> Who in the street\n> will water the plants?" in dutch.text
    assert dutch.path == step_page(world, "idea", "thread-what")
    english = message("comment.created", world.member)
    assert english.subject == 'New comment on "Garden" – step Idea'
    assert 'wrote about the question "What do you want to do?" in step "Idea"' in english.text
    assert "> Who in the street" in english.text


def test_a_members_comment_goes_to_the_whole_fund_without_a_lead_officer(world):
    services.comment_create(
        step=world.application.current_step, actor=world.member, body="Is a shed allowed?"
    )
    assert to("comment.created") == emails(world.officer, world.manager)
    notice = message("comment.created", world.officer)
    assert notice.path == step_page(world, "idea", "thread-general")
    assert 'schreef over de stap "Idee" van "Garden"' in notice.text
    assert world.network.name in notice.text and "> Is a shed allowed?" in notice.text


def test_a_members_comment_goes_only_to_the_lead_officer_when_there_is_one(world):
    lead(world, world.officer)
    services.comment_create(
        step=world.application.current_step, actor=world.coordinator, body="A question"
    )
    assert to("comment.created") == emails(world.officer)


def test_the_author_and_the_authors_own_side_hear_nothing(world):
    services.comment_create(
        step=world.application.current_step, actor=world.officer, body="Please explain."
    )
    assert (
        not written("comment.created").filter(recipient__in=[world.officer, world.manager]).exists()
    )
    Notification.objects.all().delete()
    services.comment_create(
        step=world.application.current_step, actor=world.coordinator, body="We will."
    )
    assert (
        not written("comment.created")
        .filter(recipient__in=[world.coordinator, world.member])
        .exists()
    )


def test_the_comments_mail_links_to_its_question_signed_in(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_create(
            step=world.application.current_step,
            actor=world.officer,
            body="Who waters the plants?",
            question_key="why",
        )
    [sent] = [m for m in mail.outbox if m.to == [world.member.email]]
    assert "> Who waters the plants?" in sent.body
    link = re.search(r"https?://\S+/accounts/open/\S+", sent.body).group(0)
    [token] = parse_qs(urlsplit(link).query)["token"]
    user, path, _notification = links.place_for_token(token)
    assert user == world.member
    assert path == step_page(world, "idea", "thread-why")


# ---------------------------------------------------------------------------------------------
# Changes requested: the officer's open questions, each under the question it is about


def test_changes_requested_quotes_every_open_officer_question_under_its_question(
    world, english_member
):
    submit_current_step(world)
    step = world.application.current_step
    services.comment_create(step=step, actor=world.officer, body="Why now?", question_key="why")
    services.comment_create(step=step, actor=world.officer, body="Add a photo, please.")
    done = services.comment_create(step=step, actor=world.officer, body="Old remark")
    services.comment_resolve(comment=done, actor=world.officer)
    services.comment_create(step=step, actor=world.member, body="Network's own remark")
    services.application_request_changes(
        application=world.application,
        actor=world.officer,
        comment="Which street exactly?",
        question_key="what",
        note="No hurry.",
    )
    assert to("step.changes_requested") == emails(world.coordinator, world.member)
    # The comment that came with the request is quoted there, not announced on its own.
    assert Comment.objects.filter(body="Which street exactly?").exists()
    assert not written("comment.created").filter(text__contains="Which street exactly?").exists()

    dutch = message("step.changes_requested", world.coordinator)
    assert dutch.subject == 'Wijzigingen gevraagd: stap Idee van "Garden"'
    what, why, general = (
        dutch.text.index("Wat wilt u doen?\n> Which street exactly?"),
        dutch.text.index("Waarom is dit nodig?\n> Why now?"),
        dutch.text.index("Over de hele stap\n> Add a photo, please."),
    )
    assert what < why < general  # in the order of the questions, the general ones last
    assert "Old remark" not in dutch.text and "Network's own remark" not in dutch.text
    assert "Bericht van het fonds:\n> No hurry." in dutch.text
    assert dutch.path == step_page(world, "idea", "thread-what")

    english = message("step.changes_requested", world.member)
    assert english.subject == 'Changes requested: step Idea of "Garden"'
    assert "What do you want to do?\n> Which street exactly?" in english.text
    assert "About the whole step\n> Add a photo, please." in english.text


def test_changes_requested_about_the_whole_step_links_to_the_general_thread(world):
    submit_current_step(world)
    services.application_request_changes(
        application=world.application, actor=world.officer, comment="Shorter, please."
    )
    notice = message("step.changes_requested", world.member)
    assert notice.path == step_page(world, "idea", "thread-general")
    assert "Over de hele stap\n> Shorter, please." in notice.text
    assert (
        not written("step.changes_requested")
        .filter(recipient__in=[world.officer, world.manager])
        .exists()
    )


# ---------------------------------------------------------------------------------------------
# A step submitted: a receipt to the network with the promised date, a notice to the fund


def test_a_submitted_step_gives_the_network_a_receipt_with_the_promised_date(world, english_member):
    with time_machine.travel(FRIDAY, tick=False):
        submit_current_step(world)
    # Everyone in the network, the coordinator who submitted included.
    assert to("step.submitted.receipt") == emails(world.coordinator, world.member)
    dutch = message("step.submitted.receipt", world.coordinator)
    assert dutch.subject == 'Ontvangen: stap Idee van "Garden"'
    assert f'{world.fund.name} heeft de stap "Idee" van "Garden" ontvangen.' in dutch.text
    assert f"Ingediend door {world.coordinator.username} op 27 november 2026" in dutch.text
    assert "U hoort uiterlijk op 11 december 2026 van ons." in dutch.text
    assert dutch.path == step_page(world, "idea")
    english = message("step.submitted.receipt", world.member)
    assert english.subject == 'Received: step Idea of "Garden"'
    assert "You will hear from us by 11 December 2026." in english.text


def test_a_submitted_step_asks_the_fund_side_to_review_it(world):
    with time_machine.travel(FRIDAY, tick=False):
        submit_current_step(world)
    assert to("step.submitted") == emails(world.officer, world.manager)
    notice = message("step.submitted", world.manager)
    assert notice.subject == 'Te beoordelen: stap Idee van "Garden"'
    assert f'{world.network.name} heeft de stap "Idee" van "Garden" ingediend' in notice.text
    assert "beloofd uiterlijk op 11 december 2026 te antwoorden" in notice.text
    assert notice.path == step_page(world, "idea")


def test_a_submitted_step_goes_only_to_the_lead_officer_when_there_is_one(world):
    lead(world, world.manager)
    submit_current_step(world)
    assert to("step.submitted") == emails(world.manager)


def test_the_promised_date_is_on_screen_after_submitting_and_while_the_step_waits(client, world):
    client.force_login(world.coordinator)
    answers = {f"q-{key}": value for key, value in COMPLETE_ANSWERS["idea"].items()}
    with time_machine.travel(FRIDAY, tick=False):
        response = client.post(
            step_page(world, "idea"), {**answers, "action": "submit"}, follow=True
        )
        assert response.status_code == HTTPStatus.OK
        # Once as the confirmation, once on the application page itself.
        assert response.text.count("U hoort uiterlijk op 11 december 2026 van ons.") == 2

        client.force_login(world.member)
        page = client.get(application_page(world)).text
        assert 'data-promised-reply="2026-12-11"' in page
        client.force_login(world.officer)  # the fund sees no promise made to itself
        assert "data-promised-reply" not in client.get(application_page(world)).text

    services.application_accept_step(application=world.application, actor=world.officer)
    client.force_login(world.member)
    assert "data-promised-reply" not in client.get(application_page(world)).text


def test_submitting_from_the_application_page_shows_the_promised_date(client, world):
    fill_current_step(world.application, world.coordinator)
    client.force_login(world.coordinator)
    with time_machine.travel(FRIDAY, tick=False):
        response = client.post(
            reverse("application_transition", args=[world.application.pk, "submit_step"]),
            {"step": world.application.current_step_id},
            follow=True,
        )
    assert "De stap is ingediend. U hoort uiterlijk op 11 december 2026 van ons." in response.text


# ---------------------------------------------------------------------------------------------
# A step accepted: what comes next


def test_an_accepted_step_tells_the_network_the_next_step_and_links_to_it(world, english_member):
    submit_current_step(world)
    services.application_accept_step(
        application=world.application, actor=world.officer, note="Well done."
    )
    assert to("step.accepted") == emails(world.coordinator, world.member)
    dutch = message("step.accepted", world.coordinator)
    assert dutch.subject == 'Stap Idee van "Garden" is goedgekeurd'
    assert 'Wat nu komt: de stap "Plan".' in dutch.text and "> Well done." in dutch.text
    assert dutch.path == step_page(world, "plan")
    english = message("step.accepted", world.member)
    assert english.subject == 'Step Idea of "Garden" is accepted'
    assert 'What comes next: step "Plan".' in english.text


def test_the_last_accepted_step_says_the_fund_now_decides(world, english_member):
    to_ready_for_decision(world)
    last = written("step.accepted").filter(recipient=world.coordinator).order_by("-pk").first()
    assert "Alle stappen zijn goedgekeurd. Het fonds neemt nu een besluit." in last.text
    assert last.path == application_page(world)
    english = written("step.accepted").filter(recipient=world.member).order_by("-pk").first()
    assert "All steps are accepted. The fund will now decide." in english.text
    assert (
        not written("step.accepted").filter(recipient__in=[world.officer, world.manager]).exists()
    )


# ---------------------------------------------------------------------------------------------
# The decision, and the network withdrawing


def test_a_decline_gives_the_network_reason_advice_and_every_referral(world, english_member):
    services.application_decline(
        application=world.application,
        actor=world.officer,
        reason="Outside our region.",
        advice="Ask the district fund.",
        referrals=[CONTACT_REFERRAL, {"organisation": "Wijkfonds", "email": "info@wijk.example"}],
    )
    assert to("application.declined") == emails(world.coordinator, world.member)
    dutch = message("application.declined", world.coordinator)
    assert dutch.subject == 'Besluit over "Garden": afgewezen'
    assert "Reden: Outside our region." in dutch.text
    assert "Advies: Ask the district fund." in dutch.text
    assert "Buurtwerk Oost" in dutch.text and "020 123 4567" in dutch.text
    assert "info@wijk.example" in dutch.text
    assert dutch.path == application_page(world, "decision-heading")
    english = message("application.declined", world.member)
    assert english.subject == 'Decision on "Garden": declined'
    assert "Reason: Outside our region." in english.text
    assert "Where you can go next:" in english.text


def test_an_award_gives_the_network_the_amount_and_what_comes_next(world, english_member):
    to_ready_for_decision(world)
    services.application_award(
        application=world.application, actor=world.manager, amount=Decimal("1500")
    )
    assert to("application.awarded") == emails(world.coordinator, world.member)
    dutch = message("application.awarded", world.coordinator)
    assert dutch.subject == 'Besluit over "Garden": toegekend'
    assert "het fonds kent €1.500,00 toe" in dutch.text and "overeenkomst" in dutch.text
    assert dutch.path == application_page(world)
    english = message("application.awarded", world.member)
    assert english.subject == 'Decision on "Garden": awarded'
    assert "the fund awards €1,500.00" in english.text and "agreement" in english.text


def test_a_withdrawal_goes_to_the_fund_side_not_the_network(world):
    services.application_withdraw(
        application=world.application, actor=world.coordinator, note="We found another way."
    )
    assert to("application.withdrawn") == emails(world.officer, world.manager)
    notice = message("application.withdrawn", world.officer)
    assert notice.subject == f'Ingetrokken: "Garden" van {world.network.name}'
    assert "> We found another way." in notice.text
    assert notice.path == application_page(world)


def test_a_withdrawal_goes_only_to_the_lead_officer_when_there_is_one(world):
    lead(world, world.officer)
    Preference.objects.create(user=world.officer, language="en")
    services.application_withdraw(application=world.application, actor=world.coordinator)
    assert to("application.withdrawn") == emails(world.officer)
    assert message("application.withdrawn", world.officer).subject == (
        f'Withdrawn: "Garden" of {world.network.name}'
    )


def test_the_close_is_told_to_the_network_and_the_contract_only_once_by_agreements(world):
    bring_to_state(world, Application.State.CLOSED)
    assert to("application.closed") == emails(world.coordinator, world.member)
    assert message("application.closed", world.member).subject == 'Afgerond: "Garden"'
    # The signed contract is told by agreements (to signatories and the fund), not twice.
    assert not Notification.objects.filter(kind="application.contracted").exists()


# ---------------------------------------------------------------------------------------------
# Invitations


def test_an_invitation_is_a_message_with_a_personal_link_made_when_it_is_sent(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.network_invite_member(
            network=world.network, actor=world.coordinator, email="New@Example.org"
        )
    [notice] = written("network.invitation")
    assert (notice.email, notice.recipient) == ("New@Example.org", None)
    assert notice.required and notice.link_maker == "applications.invitation"
    assert notice.link_object_id == invitation.pk
    assert notice.path.startswith("/invitations/")
    assert notice.subject == f"Uitnodiging voor {world.network.name} op Eigenwijs"
    assert "zonder uw toestemming gebeurt er niets" in notice.text
    assert "/invitations/" not in notice.text  # the link is made only when the mail goes
    first = token_in(mail.outbox[-1].body)
    assert invitation_for_token(first) == invitation

    with django_capture_on_commit_callbacks(execute=True):
        services.network_invitation_resend(invitation=invitation, actor=world.coordinator)
    assert written("network.invitation").count() == 2
    assert invitation_for_token(token_in(mail.outbox[-1].body)) == invitation
    with pytest.raises(ValidationError):  # sent again: the first link is dead
        invitation_for_token(first)
    services.network_invitation_revoke(invitation=invitation, actor=world.coordinator)
    assert links.personal_link("applications.invitation", invitation.pk) is None


def test_an_invitation_to_an_account_is_in_its_language(world, django_capture_on_commit_callbacks):
    known = world.outsider
    Preference.objects.create(user=known, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        services.network_invite_member(
            network=world.network, actor=world.coordinator, email=known.email
        )
    notice = message("network.invitation", known)
    assert notice.subject == f"Invitation to join {world.network.name} on Eigenwijs"
    assert "nothing happens without your consent" in notice.text
    assert "List-Unsubscribe" not in mail.outbox[-1].extra_headers


# ---------------------------------------------------------------------------------------------
# A rolled-back change writes no message


def _submitted(world):
    submit_current_step(world)
    return world.application


ROLLED_BACK = {
    "comment": lambda w: services.comment_create(
        step=w.application.current_step, actor=w.officer, body="Hm?"
    ),
    "submit_step": lambda w: submit_current_step(w),
    "request_changes": lambda w: services.application_request_changes(
        application=_submitted(w), actor=w.officer, comment="Why?"
    ),
    "accept_step": lambda w: services.application_accept_step(
        application=_submitted(w), actor=w.officer
    ),
    "decline": lambda w: services.application_decline(
        application=w.application,
        actor=w.officer,
        reason="No.",
        advice="Ask elsewhere.",
        referrals=[CONTACT_REFERRAL],
    ),
    "award": lambda w: services.application_award(
        application=to_ready_for_decision(w), actor=w.manager, amount=Decimal("500")
    ),
    "withdraw": lambda w: services.application_withdraw(
        application=w.application, actor=w.coordinator
    ),
    "invite": lambda w: services.network_invite_member(
        network=w.network, actor=w.coordinator, email="x@example.org"
    ),
}


@pytest.mark.parametrize("action", list(ROLLED_BACK))
def test_a_rolled_back_change_writes_no_message(world, action):
    assert_rolled_back_writes_nothing(lambda: ROLLED_BACK[action](world))


def test_a_rolled_back_resend_writes_no_message(world):
    invitation = services.network_invite_member(
        network=world.network, actor=world.coordinator, email="x@example.org"
    )
    assert_rolled_back_writes_nothing(
        lambda: services.network_invitation_resend(invitation=invitation, actor=world.coordinator)
    )
