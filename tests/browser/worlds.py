"""The journeys' shared start: a network's application "Garden" to "Together in the street"."""

from applications import services
from applications.models import NetworkMember
from funds.models import FundMembership
from tests.applications.factories import COMPLETE_ANSWERS, NetworkFactory, NetworkMemberFactory
from tests.funds.factories import FundMembershipFactory, ProgrammeFactory


def garden(*, accepted_steps: int = 0):
    """The application, its coordinator and the fund's officer, with the first
    ``accepted_steps`` steps written, submitted and accepted through the services."""
    programme = ProgrammeFactory(title="Together in the street")
    officer = FundMembershipFactory(fund=programme.fund, role=FundMembership.Role.OFFICER).user
    network = NetworkFactory(name="Street garden")
    coordinator = NetworkMemberFactory(network=network, role=NetworkMember.Role.COORDINATOR).user
    application = services.application_create(
        network=network,
        programme=programme,
        actor=coordinator,
        title="Garden",
        requested_amount="1000",
    )
    for _ in range(accepted_steps):
        application.refresh_from_db()
        step = application.current_step
        services.step_save_answers(step=step, actor=coordinator, content=COMPLETE_ANSWERS[step.key])
        services.application_submit_step(application=application, actor=coordinator)
        services.application_accept_step(application=application, actor=officer)
    application.refresh_from_db()
    return application, coordinator, officer
