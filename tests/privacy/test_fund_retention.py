"""A fund's own retention periods: its managers choose within the bounds, nobody else."""

from http import HTTPStatus

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from privacy.models import FundRetention
from privacy.policy import SIGNATORY_DETAILS, SIGNATURE_EVIDENCE
from privacy.services import fund_retention_set, retention_for
from tests.funds.factories import FundMembershipFactory

pytestmark = pytest.mark.django_db


def url(world):
    return reverse("fund_retention", args=[world.fund.pk])


def test_a_fund_that_never_chose_has_the_defaults(world):
    retention = retention_for(world.fund)
    assert retention.signatory_details_months == SIGNATORY_DETAILS.default == 84
    assert retention.signature_evidence_months == SIGNATURE_EVIDENCE.default == 12


def test_a_manager_sets_the_periods_on_the_page(client, world):
    client.force_login(world.manager)
    response = client.post(
        url(world), {"signatory_details_months": "36", "signature_evidence_months": "6"}
    )
    assert response.status_code == HTTPStatus.FOUND
    saved = FundRetention.objects.get(fund=world.fund)
    assert (saved.signatory_details_months, saved.signature_evidence_months) == (36, 6)
    assert saved.updated_by == world.manager


@pytest.mark.parametrize(
    ("details", "evidence", "field"),
    [
        (SIGNATORY_DETAILS.minimum - 1, 12, "signatory_details_months"),
        (SIGNATORY_DETAILS.maximum + 1, 12, "signatory_details_months"),
        (84, SIGNATURE_EVIDENCE.minimum - 1, "signature_evidence_months"),
        (84, SIGNATURE_EVIDENCE.maximum + 1, "signature_evidence_months"),
        (24, 36, "signature_evidence_months"),  # evidence may not outlive the details
    ],
)
def test_periods_outside_the_bounds_are_refused(client, world, details, evidence, field):
    with pytest.raises(ValidationError) as refused:
        fund_retention_set(
            fund=world.fund,
            actor=world.manager,
            signatory_details_months=details,
            signature_evidence_months=evidence,
        )
    assert field in refused.value.message_dict
    client.force_login(world.manager)
    response = client.post(
        url(world), {"signatory_details_months": details, "signature_evidence_months": evidence}
    )
    assert response.status_code == HTTPStatus.OK and 'class="form-errors"' in response.text
    assert not FundRetention.objects.exists()


def test_an_officer_sees_the_periods_but_may_not_change_them(client, world):
    client.force_login(world.officer)
    page = client.get(url(world))
    assert page.status_code == HTTPStatus.OK and 'name="signatory_details_months"' not in page.text
    response = client.post(
        url(world), {"signatory_details_months": "24", "signature_evidence_months": "3"}
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    with pytest.raises(PermissionDenied):
        fund_retention_set(
            fund=world.fund,
            actor=world.officer,
            signatory_details_months=24,
            signature_evidence_months=3,
        )
    assert not FundRetention.objects.exists()


def test_another_funds_manager_and_outsiders_find_nothing(client, world):
    for person in (FundMembershipFactory(role="manager").user, world.outsider, world.coordinator):
        client.force_login(person)
        assert client.get(url(world)).status_code == HTTPStatus.NOT_FOUND
        response = client.post(
            url(world), {"signatory_details_months": "24", "signature_evidence_months": "3"}
        )
        assert response.status_code == HTTPStatus.NOT_FOUND
    assert not FundRetention.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, world):
    response = client.get(url(world))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("login"))
