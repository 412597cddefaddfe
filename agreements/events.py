"""What the events about agreements, tranches and reports say (see ``core.events``).

Registered from ``AgreementsConfig.ready()``. Of their transitions only these are events: an
agreement executed, a tranche due or paid, a report resubmitted (its first submission is recorded
by the service that creates it).
"""

from agreements.models import Agreement
from core.events import register_subject


def agreement_ids(agreement_id) -> tuple[int, int]:
    """(application id, fund id) of an agreement, in one query."""
    return (
        Agreement.objects.filter(pk=agreement_id)
        .values_list("application_id", "application__programme__fund_id")
        .get()
    )


def describe_agreement(agreement) -> tuple[int, dict]:
    application_id, fund_id = agreement_ids(agreement.pk)
    return fund_id, {
        "agreement_id": agreement.pk,
        "application_id": application_id,
        "arrangement": agreement.arrangement,
        "state": agreement.state,
        "amount": agreement.amount,
        "contract_sha256": agreement.contract_sha256 or None,
    }


def describe_tranche(tranche) -> tuple[int, dict]:
    application_id, fund_id = agreement_ids(tranche.agreement_id)
    return fund_id, {
        "tranche_id": tranche.pk,
        "agreement_id": tranche.agreement_id,
        "application_id": application_id,
        "number": tranche.number,
        "amount": tranche.amount,
        "trigger": tranche.trigger,
        "state": tranche.state,
        "paid_on": tranche.paid_on,
    }


def describe_report(report) -> tuple[int, dict]:
    application_id, fund_id = agreement_ids(report.agreement_id)
    return fund_id, {
        "report_id": report.pk,
        "agreement_id": report.agreement_id,
        "application_id": application_id,
        "kind": report.kind,
        "state": report.state,
    }


register_subject(
    "agreements.agreement",
    describe=describe_agreement,
    transition_events={"execute": "agreement.executed"},
)
register_subject(
    "agreements.tranche",
    describe=describe_tranche,
    transition_events={"make_due": "tranche.due", "mark_paid": "tranche.paid"},
)
register_subject(
    "agreements.report",
    describe=describe_report,
    transition_events={"resubmit": "report.submitted"},
)
