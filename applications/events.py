"""What the events about applications, steps and comments say (see ``core.events``).

Registered from ``ApplicationsConfig.ready()``. ``application_fund_id`` is shared with the apps
built on applications, whose objects belong to a fund through their application.
"""

from applications.models import Application
from applications.selectors import shown_to_fund
from core.events import register_subject


def application_fund_id(application_id) -> int | None:
    """The fund whose back office hears of the application; ``None`` while the fund may not see
    it yet (``selectors.shown_to_fund``): then no event is written."""
    return (
        Application.objects.filter(shown_to_fund(), pk=application_id)
        .values_list("programme__fund_id", flat=True)
        .first()
    )


def describe_application(application) -> tuple[int, dict]:
    return application_fund_id(application.pk), {
        "application_id": application.pk,
        "programme_id": application.programme_id,
        "network_id": application.network_id,
        "title": application.title,
        "state": application.state,
        "requested_amount": application.requested_amount,
        "awarded_amount": application.awarded_amount,
    }


def describe_step(step) -> tuple[int, dict]:
    return application_fund_id(step.application_id), {
        "application_id": step.application_id,
        "step_id": step.pk,
        "step_key": step.key,
        "step_order": step.order,
    }


def describe_comment(comment) -> tuple[int, dict]:
    step = comment.step
    return application_fund_id(step.application_id), {
        "comment_id": comment.pk,
        "application_id": step.application_id,
        "step_id": step.pk,
        "step_key": step.key,
        "question_key": comment.question_key,
        "author_role": comment.author_role,
    }


register_subject(
    "applications.application",
    describe=describe_application,
    transition_events="application.transitioned",
)
register_subject("applications.step", describe=describe_step)
register_subject("applications.comment", describe=describe_comment)
