"""Moving a test application through the workflow with the real services."""

from applications import services
from tests.applications.factories import COMPLETE_ANSWERS


def fill_current_step(application, actor):
    application.refresh_from_db()
    step = application.current_step
    return services.step_save_answers(step=step, actor=actor, content=COMPLETE_ANSWERS[step.key])


def submit_current_step(world):
    fill_current_step(world.application, world.coordinator)
    return services.application_submit_step(application=world.application, actor=world.coordinator)


def to_ready_for_decision(world):
    for _ in range(world.application.steps.count()):
        submit_current_step(world)
        services.application_accept_step(application=world.application, actor=world.officer)
    world.application.refresh_from_db()
    return world.application


# ---------------------------------------------------------------------------------------------
# Roles, states and snapshots for the refusal matrices.

#: Every kind of person the refusal matrices try, besides the network's and the fund's own people.
ROLES = (
    "outsider",
    "member",
    "coordinator",
    "officer",
    "manager",
    "other_fund_officer",
    "other_fund_manager",
    "anonymous",
)

#: A referral that passes validation: an outside contact who can be reached.
CONTACT_REFERRAL = {
    "organisation": "Buurtwerk Oost",
    "contact_name": "Anna de Vries",
    "phone": "020 123 4567",
    "note": "Helps groups without a foundation.",
}


def user_for(world, role):
    """The user who plays ``role`` towards ``world.application``; created on first use."""
    from django.contrib.auth.models import AnonymousUser

    from funds.models import FundMembership
    from tests.funds.factories import FundMembershipFactory

    if role == "anonymous":
        return AnonymousUser()
    if role == "other_fund_officer":
        return FundMembershipFactory(role=FundMembership.Role.OFFICER).user
    if role == "other_fund_manager":
        return FundMembershipFactory(role=FundMembership.Role.MANAGER).user
    return getattr(world, role)


def dual_role_user(world, *, fund_role, network_role):
    """A person who works for ``world.fund`` and is also in ``world.network``."""
    from tests.applications.factories import NetworkMemberFactory
    from tests.funds.factories import FundMembershipFactory

    user = NetworkMemberFactory(network=world.network, role=network_role).user
    FundMembershipFactory(fund=world.fund, user=user, role=fund_role)
    return user


def bring_to_state(world, state):
    """Move ``world.application`` into ``state`` with the real services; return it fresh."""
    from decimal import Decimal

    from applications.models import Application

    application = world.application
    if state == Application.State.DRAFTING:
        pass
    elif state == Application.State.STEP_SUBMITTED:
        submit_current_step(world)
    elif state == Application.State.CHANGES_REQUESTED:
        submit_current_step(world)
        services.application_request_changes(
            application=application, actor=world.officer, comment="Say more about the neighbours."
        )
    elif state == Application.State.READY_FOR_DECISION:
        to_ready_for_decision(world)
    elif state == Application.State.AWARDED:
        to_ready_for_decision(world)
        services.application_award(
            application=application, actor=world.manager, amount=Decimal("500")
        )
    elif state == Application.State.DECLINED:
        services.application_decline(
            application=application,
            actor=world.officer,
            reason="Outside our region.",
            advice="Ask the district fund.",
            referrals=[CONTACT_REFERRAL],
        )
    elif state == Application.State.WITHDRAWN:
        services.application_withdraw(application=application, actor=world.coordinator)
    elif state in (Application.State.CONTRACTED, Application.State.CLOSED):
        _contract(world, close=state == Application.State.CLOSED)
    else:  # pragma: no cover - a typo in a test
        raise ValueError(state)
    application.refresh_from_db()
    assert application.state == state
    return application


def _contract(world, *, close: bool) -> None:
    """Award, sign a cooperation agreement and, for ``close``, pay it and accept the final report."""
    import datetime
    from decimal import Decimal

    from agreements import services as agreement_services
    from funds.models import FundMembership
    from tests.agreements.helpers import VALID_IBAN, sign_all
    from tests.funds.factories import FundMembershipFactory

    to_ready_for_decision(world)
    services.application_award(
        application=world.application, actor=world.manager, amount=Decimal("500")
    )
    agreement = agreement_services.agreement_prepare(
        application=world.application, actor=world.officer, arrangement="cooperation_agreement"
    )
    agreement_services.agreement_update(
        agreement=agreement, actor=world.officer, payee_name="A. Member", iban=VALID_IBAN
    )
    agreement_services.agreement_send(
        agreement=agreement, actor=world.officer, note="Checked", confirmed=True
    )
    agreement = sign_all(agreement)
    if not close:
        return
    treasurer = FundMembershipFactory(fund=world.fund, role=FundMembership.Role.OFFICER).user
    report = agreement_services.report_submit(
        agreement=agreement, actor=world.coordinator, kind="final", what_was_done="Done"
    )
    agreement_services.report_accept(report=report, actor=world.officer)
    for tranche in agreement.tranches.all():
        agreement_services.tranche_mark_paid(
            tranche=tranche, actor=treasurer, paid_on=datetime.date(2026, 11, 28), reference="BANK"
        )


def snapshot(application):
    """Everything a refused action must leave as it was."""
    from django_fsm_log.models import StateLog

    from applications.models import Comment, Referral, Revision, StepSubmission

    application.refresh_from_db()
    return {
        "state": application.state,
        "current_step": application.current_step_id,
        "awarded_amount": application.awarded_amount,
        "decline_reason": application.decline_reason,
        "step_statuses": list(application.ordered_steps().values_list("status", flat=True)),
        "state_logs": StateLog.objects.for_(application).count(),
        "comments": Comment.objects.filter(step__application=application).count(),
        "referrals": Referral.objects.filter(application=application).count(),
        "revisions": Revision.objects.filter(step__application=application).count(),
        "submissions": StepSubmission.objects.filter(step__application=application).count(),
    }


def start_application(programme, *, title="Repair café", requested_amount="1000", **network):
    """A new network with a coordinator, and its application to ``programme``."""
    from applications.models import NetworkMember
    from tests.applications.factories import NetworkFactory, NetworkMemberFactory

    coordinator = NetworkMemberFactory(
        network=NetworkFactory(**network), role=NetworkMember.Role.COORDINATOR
    ).user
    application = services.application_create(
        network=coordinator.network_memberships.get().network,
        programme=programme,
        actor=coordinator,
        title=title,
        requested_amount=requested_amount,
    )
    return application, coordinator


def drive_to_ready(application, *, coordinator, officer):
    """Fill, submit and accept every step of ``application``."""
    for _ in range(application.steps.count()):
        fill_current_step(application, coordinator)
        services.application_submit_step(application=application, actor=coordinator)
        services.application_accept_step(application=application, actor=officer)
    application.refresh_from_db()
    return application


def advance_to_step(world, key):
    """Submit and accept steps until ``key`` is the open step of ``world.application``."""
    world.application.refresh_from_db()
    while world.application.current_step.key != key:
        submit_current_step(world)
        services.application_accept_step(application=world.application, actor=world.officer)
        world.application.refresh_from_db()
    return world.application.current_step
