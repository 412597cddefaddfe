"""Rules tightened after review: officer comments, loose referral input, remaining budget."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from applications import services
from applications.models import Application
from tests.applications.helpers import submit_current_step
from tests.funds.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def test_request_changes_with_only_a_network_comment_is_refused(world):
    submit_current_step(world)
    services.comment_create(
        step=world.application.current_step, actor=world.member, body="Note to self"
    )
    with pytest.raises(ValidationError) as refused:
        services.application_request_changes(application=world.application, actor=world.officer)
    assert "comment" in refused.value.message_dict
    world.application.refresh_from_db()
    assert world.application.state == Application.State.STEP_SUBMITTED


@pytest.mark.parametrize(
    "referral",
    [
        {"organisation": "Buurthuis", "phone": "020 1", "fax": "020 2"},
        {"programme": "not-an-id"},
        {"programme": 999999},
        "just a string",
    ],
)
def test_decline_with_malformed_referral_is_a_field_error(world, referral):
    with pytest.raises(ValidationError) as refused:
        services.application_decline(
            application=world.application,
            actor=world.officer,
            reason="r",
            advice="a",
            referrals=[referral],
        )
    assert "referrals" in refused.value.message_dict
    world.application.refresh_from_db()
    assert world.application.state == Application.State.DRAFTING
    assert not world.application.referrals.exists()


def test_decline_referral_to_a_closed_programme_is_refused(world):
    today = datetime.date.today()
    closed = ProgrammeFactory(
        opens_on=today - datetime.timedelta(days=90), closes_on=today - datetime.timedelta(days=1)
    )
    with pytest.raises(ValidationError) as refused:
        services.application_decline(
            application=world.application,
            actor=world.officer,
            reason="r",
            advice="a",
            referrals=[{"programme": closed.pk}],
        )
    assert "open now" in " ".join(refused.value.message_dict["referrals"])


def test_decline_referral_may_name_a_programme_by_id(world):
    other = ProgrammeFactory()
    services.application_decline(
        application=world.application,
        actor=world.officer,
        reason="r",
        advice="a",
        referrals=[{"programme": other.pk}],
    )
    assert world.application.referrals.get().programme == other
