"""What the application pages show, built once for the views here and for views above.

The views in ``applications.views`` answer HTTP; this module loads what a person may see and
builds the step page's context. A higher app that composes an application page (pools' budget
step shows its support-in-kind section with a refused form) calls these, never a view.
"""

from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from applications import permissions
from applications.actions import APPLICATION_ACTIONS
from applications.diff import answer_text, step_changes
from applications.history import written_with_help
from applications.models import Application, Step
from applications.panels import collect
from applications.selectors import visible_applications
from applications.services.drafting import EDITABLE_STATES
from applications.step_forms import StepAnswersForm, StepRequestChangesForm
from funds.questions import missing_answers

#: An ended application whose steps stopped: a step that was under way shows this, not the
#: status it had when the application ended ("Changes requested" on a declined one misleads).
ENDED_STATES = (Application.State.DECLINED, Application.State.WITHDRAWN)
UNDER_WAY = (Step.Status.OPEN, Step.Status.SUBMITTED, Step.Status.CHANGES_REQUESTED)

#: The review of the step under review: the page shows these of what the registry offers.
STEP_REVIEW_ACTIONS = ("accept_step", "request_changes", "decline")


def get_application(request, pk) -> Application:
    """An application the user may see, as in the API; 404 for anything else, also for a guessed
    id."""
    return get_object_or_404(visible_applications(request.user), pk=pk)


def get_step(application: Application, key: str) -> Step:
    step = application.steps.filter(key=key).first()
    if step is None:
        raise Http404
    step.application = application  # reuse the loaded application, its network and programme
    return step


def posted_step(request, application: Application) -> Step | None:
    """The step the page was showing (``step`` posted, or in the query), so that an action on a
    step that is no longer current is refused; without one, the current step."""
    step_id = request.POST.get("step") or request.GET.get("step") or ""
    step = application.steps.filter(pk=step_id).first() if step_id.isdigit() else None
    return step or application.current_step


def _roles(application, user) -> dict:
    is_member = permissions.member_refusal(application, user) is None
    is_writer = permissions.writer_refusal(application, user) is None
    return {
        "is_member": is_member,
        # A helper writes and comments with the network; a member who also helps stays a member.
        "is_helper": is_writer and not is_member,
        "is_writer": is_writer,
        "is_coordinator": permissions.coordinator_refusal(application, user) is None,
        # A person in the network never reviews it, even if they work at the fund.
        "is_officer": not is_member and permissions.officer_refusal(application, user) is None,
    }


def _is_editable(application, step, roles) -> bool:
    return (
        roles["is_writer"]
        and application.state in EDITABLE_STATES
        and step.pk == application.current_step_id
    )


def _comment_threads(application, step, roles) -> tuple[dict, list]:
    comments = list(step.comments.select_related("author").order_by("created_at", "pk"))
    keys = {question["key"] for question in step.questions}
    by_key: dict[str, list] = {}
    general = []
    for comment in comments:
        if comment.question_key in keys:
            by_key.setdefault(comment.question_key, []).append(comment)
        else:
            general.append(comment)
    return by_key, general


def _review_actions(request, application, step, roles) -> dict:
    """What the registry offers this officer now, for the step under review only."""
    if not roles["is_officer"] or step.pk != application.current_step_id:
        return {}
    offers = {
        offer.name: offer for offer in APPLICATION_ACTIONS.available(application, request.user)
    }
    return {name: offers[name] for name in STEP_REVIEW_ACTIONS if name in offers}


def step_context(request, application, step, form=None, **panel_context) -> dict:
    """Everything the step page shows.

    ``panel_context`` goes to the providers of the ``step_detail`` panels (e.g. ``support=``, the
    in-kind section pools already built with a refused form).
    """
    roles = _roles(application, request.user)
    editable = _is_editable(application, step, roles)
    latest = step.latest_revision
    content = latest.content if latest else {}
    if form is None:
        form = StepAnswersForm(
            step,
            accepted_arrangements=application.programme.accepted_arrangements,
            initial=content,
        )
    submissions = list(step.submissions.select_related("revision").order_by("submitted_at", "pk"))
    # Members: what they changed since they last submitted. Officers: what changed between the
    # previous submission and the one under review, i.e. the answer to their request.
    member_changes = (
        step_changes(step.questions, submissions[-1].revision.content, content)
        if submissions
        else {}
    )
    review_changes = (
        step_changes(
            step.questions, submissions[-2].revision.content, submissions[-1].revision.content
        )
        if len(submissions) >= 2
        else {}
    )
    by_key, general = _comment_threads(application, step, roles)
    can_comment = (
        (roles["is_writer"] or roles["is_officer"])
        and application.is_open
        and step.status != Step.Status.LOCKED
    )
    items = [
        {
            "bound": bound,
            "answer": answer_text(bound.question, content.get(bound.key)),
            "comments": by_key.get(bound.key, []),
            "change": (review_changes if roles["is_officer"] else member_changes).get(bound.key),
        }
        for bound in form.bound_questions()
    ]
    return {
        "application": application,
        "step": step,
        "steps": application.ordered_steps(),
        "tracker": step_tracker(application, application.ordered_steps()),
        "form": form,
        "items": items,
        "general_comments": general,
        "latest": latest,
        "editable": editable,
        "can_comment": can_comment,
        "missing": missing_answers(step.questions, form.content) if editable else [],
        "has_changes": bool(member_changes if roles["is_writer"] else review_changes),
        # "Written with help from …": the helpers who wrote drafts of this step.
        "written_with_help": written_with_help(application, step),
        "submitted_before": bool(submissions),
        "actions": _review_actions(request, application, step, roles),
        "request_changes_form": StepRequestChangesForm(),
        "panels": collect("step_detail", request, step, **panel_context),
        **roles,
    }


@dataclass(frozen=True)
class TrackerStep:
    order: int
    title: str
    status: str
    status_label: str
    url: str = ""
    is_current: bool = False


def step_tracker(application: Application, steps) -> dict:
    """The step tracker: every step with its state, and one line for where the application is
    ("Step 2 of 4: Plan", "Next: Budget"). An ended application marks no step as current, and
    the step that was under way shows that it stopped."""
    steps = list(steps)
    ended = application.state in ENDED_STATES
    entries = []
    for step in steps:
        stopped = ended and step.status in UNDER_WAY
        entries.append(
            TrackerStep(
                order=step.order,
                title=step.display_title,
                status="stopped" if stopped else step.status,
                status_label=_("Stopped") if stopped else step.get_status_display(),
                url=""
                if step.status == Step.Status.LOCKED
                else reverse("step_detail", args=[application.pk, step.key]),
                is_current=not ended
                and application.is_open
                and step.pk == application.current_step_id,
            )
        )
    current = next((entry for entry in entries if entry.is_current), None)
    if ended:
        summary, upcoming = application.get_state_display(), ""
    elif current is not None and application.state != Application.State.READY_FOR_DECISION:
        summary = _("Step %(n)s of %(total)s: %(title)s") % {
            "n": current.order,
            "total": len(entries),
            "title": current.title,
        }
        later = [entry for entry in entries if entry.order > current.order]
        upcoming = (
            _("Next: %(title)s") % {"title": later[0].title}
            if later
            else _("This is the last step.")
        )
    else:
        summary, upcoming = _("All %(total)s steps are done.") % {"total": len(entries)}, ""
    return {"steps": entries, "summary": summary, "next": upcoming, "ended": ended}
