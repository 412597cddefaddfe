"""The agreements' panel on an application's page (``applications.panels``, slot
"application_detail"): its agreements, their contracts, and preparing one after the award.

Registered from ``AgreementsConfig.ready()``, so applications never names agreements.
"""

from applications.models import Application
from applications.panels import Panel, register

from . import permissions
from .models import Agreement
from .selectors import agreement_list

IN_PROGRESS = (Agreement.State.DRAFT, Agreement.State.OUT_FOR_SIGNATURE)


def application_agreements(request, application, **context) -> Panel | None:
    agreements = list(agreement_list(request.user).filter(application=application))
    can_prepare = (
        application.state == Application.State.AWARDED
        and permissions.prepare_refusal(application, request.user) is None
        and not any(agreement.state in IN_PROGRESS for agreement in agreements)
    )
    if not agreements and not can_prepare:
        return None
    return Panel(
        "agreements/_application_panel.html",
        {"application": application, "agreements": agreements, "can_prepare": can_prepare},
    )


def register_panels() -> None:
    register("application_detail", application_agreements)
