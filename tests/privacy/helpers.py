"""An agreement signed by the network's coordinator and member, with birth dates and addresses,
driven through the real services; optionally paid, reported and closed."""

import datetime

from agreements import services
from agreements.models import Tranche
from funds.models import FundMembership
from tests.agreements.helpers import award, prepare_cooperation, sign_all
from tests.funds.factories import FundMembershipFactory

BIRTH = datetime.date(1980, 5, 17)


def signatory_rows(world) -> list[dict]:
    return [
        {
            "role": role,
            "name": user.username,
            "email": user.email,
            "date_of_birth": BIRTH,
            "address": f"Tuinstraat {n}, Amsterdam",
        }
        for n, (role, user) in enumerate(
            [("coordinator", world.coordinator), ("member", world.member)], 1
        )
    ]


def prepared(world):
    world.application = award(world)
    agreement = prepare_cooperation(world)
    return services.agreement_set_signatories(
        agreement=agreement, actor=world.officer, signatories=signatory_rows(world)
    )


def executed(world):
    agreement = prepared(world)
    services.agreement_send(
        agreement=agreement, actor=world.officer, note="Checked", confirmed=True
    )
    return sign_all(agreement)


def close(world, agreement):
    """Pay, report and close, as the fund and the network would."""
    treasurer = FundMembershipFactory(fund=world.fund, role=FundMembership.Role.OFFICER).user
    today = datetime.date.today()
    services.tranche_mark_paid(
        tranche=agreement.tranches.get(number=1), actor=treasurer, paid_on=today, reference="B1"
    )
    report = services.report_submit(
        agreement=agreement,
        actor=world.member,
        kind="final",
        what_was_done="The garden grows.",
        spending=[{"description": "Seeds", "spent": "780,00"}],
    )
    services.report_accept(report=report, actor=world.officer)
    for tranche in agreement.tranches.filter(state=Tranche.State.DUE):
        services.tranche_mark_paid(tranche=tranche, actor=treasurer, paid_on=today, reference="B2")
    world.application.refresh_from_db()
    agreement.refresh_from_db()
    return agreement
