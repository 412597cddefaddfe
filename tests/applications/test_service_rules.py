"""Rules the services check themselves, whoever calls them: a field error, never a database error."""

import pytest
from django.core.exceptions import ValidationError

from applications import services
from applications.models import Application, Network
from tests.applications.helpers import CONTACT_REFERRAL, snapshot, submit_current_step

pytestmark = pytest.mark.django_db


def test_a_title_longer_than_the_column_is_a_field_error(world):
    with pytest.raises(ValidationError) as refused:
        services.application_create(
            network=world.network,
            programme=world.programme,
            actor=world.coordinator,
            title="x" * 201,
            requested_amount="100",
        )

    assert "title" in refused.value.message_dict
    assert Application.objects.count() == 1


def test_a_kvk_number_that_is_not_eight_digits_is_a_field_error(world):
    with pytest.raises(ValidationError) as refused:
        services.network_create(
            actor=world.coordinator, name="Street", legal_status="foundation", kvk_number="1234"
        )

    assert "kvk_number" in refused.value.message_dict
    assert not Network.objects.filter(name="Street").exists()


@pytest.mark.parametrize("field", ["reason", "advice"])
def test_a_decline_text_over_the_limit_is_a_field_error(world, field):
    values = {"reason": "Outside our region.", "advice": "Ask the district fund."}
    values[field] = "x" * 5001
    before = snapshot(world.application)

    with pytest.raises(ValidationError) as refused:
        services.application_decline(
            application=world.application,
            actor=world.officer,
            referrals=[CONTACT_REFERRAL],
            **values,
        )

    assert field in refused.value.message_dict
    assert snapshot(world.application) == before


def test_a_note_over_the_limit_is_a_field_error_and_nothing_changes(world):
    submit_current_step(world)
    before = snapshot(world.application)

    with pytest.raises(ValidationError) as refused:
        services.application_accept_step(
            application=world.application, actor=world.officer, note="x" * 2001
        )

    assert "note" in refused.value.message_dict
    assert snapshot(world.application) == before


def test_a_referral_note_over_the_limit_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        services.application_decline(
            application=world.application,
            actor=world.officer,
            reason="Outside our region.",
            advice="Ask the district fund.",
            referrals=[{**CONTACT_REFERRAL, "note": "x" * 2001}],
        )

    assert "referrals" in refused.value.message_dict
