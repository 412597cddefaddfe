"""The application's history as sentences about events, with the people's names.

"Anna Smit submitted the step Idea", not "Who: anna@example.org – What: Submit this step". The
transition log (django-fsm-log's ``StateLog``) keeps who did what and when; which step an event
was about follows from the workflow itself: the current step moves on only when a step is
accepted (``Application.accept_step``), so walking the log in order finds each event's step.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm_log.models import StateLog

from .models import Application, ApplicationHelper, Referral, Revision

#: One sentence per transition; ``%(person)s`` is who did it, ``%(step)s`` the step's title.
SENTENCES = {
    "submit_step": gettext_lazy("%(person)s submitted the step %(step)s"),
    "request_changes": gettext_lazy("%(person)s asked for changes to the step %(step)s"),
    "accept_step": gettext_lazy("%(person)s accepted the step %(step)s"),
    "award": gettext_lazy("%(person)s awarded the application"),
    "decline": gettext_lazy("%(person)s declined the application"),
    "withdraw": gettext_lazy("%(person)s withdrew the application"),
    "contract": gettext_lazy("Everyone signed the agreement"),
    "close": gettext_lazy(
        "The application is completed: final report accepted and everything paid"
    ),
}

#: A submitted step that a helper wrote drafts of says so (the network's names, never e-mail).
SUBMITTED_WITH_HELP = gettext_lazy(
    "%(person)s submitted the step %(step)s, written with help from %(helpers)s"
)
#: The step page's line under the answers.
WRITTEN_WITH_HELP = gettext_lazy("Written with help from %(helpers)s.")

#: The transitions that are about the step the application was at.
STEP_TRANSITIONS = ("submit_step", "request_changes", "accept_step")


def person_name(user) -> str:
    """A person's full name, else their user name: never the e-mail address, which a fund's
    staff need not show to volunteers. A fund's API key acts through an account named after the
    key (and its fund), so a key shows its name."""
    if user is None:
        return _("Eigenwijs (automatic)")
    return user.get_full_name() or user.get_username()


def sentence(transition: str, *, person: str, step: str = "") -> str:
    """The history's sentence for one transition, in the active language."""
    template = SENTENCES.get(transition)
    if template is None:
        return _("%(person)s: %(transition)s") % {"person": person, "transition": transition}
    return str(template) % {"person": person, "step": step}


def helper_revisions(application: Application, step=None) -> list[Revision]:
    """The revisions of ``application`` (of one ``step``) that a helper wrote, oldest first:
    someone who accepted to help it, also if they no longer do (help given stays history).
    One query."""
    helpers = ApplicationHelper.objects.filter(application=application, accepted_at__isnull=False)
    revisions = Revision.objects.filter(
        step__application=application, author_id__in=helpers.values("user_id")
    )
    if step is not None:
        revisions = revisions.filter(step=step)
    return list(revisions.select_related("author").order_by("created_at", "pk"))


def helper_names(revisions) -> str:
    """The helpers who wrote ``revisions``, each once, in the order they first wrote."""
    names = dict.fromkeys(person_name(revision.author) for revision in revisions)
    return ", ".join(names)


def written_with_help(application: Application, step) -> str:
    """ "Written with help from Piet Bakker." for the step page, or "" when no helper wrote."""
    names = helper_names(helper_revisions(application, step))
    return str(WRITTEN_WITH_HELP) % {"helpers": names} if names else ""


@dataclass(frozen=True)
class Entry:
    when: datetime
    text: str
    note: str = ""


def _referral_entry(application: Application) -> Entry | None:
    """ "Started from a referral by <fund>" for an application started with "Apply here with
    my answers" (``services.referral_start``); one query, only for those."""
    if not application.referral_id:
        return None
    fund = (
        Referral.objects.filter(pk=application.referral_id)
        .values_list("application__programme__fund__name", flat=True)
        .first()
    )
    if fund is None:
        return None
    return Entry(
        when=application.created_at,
        text=_("Started from a referral by %(fund)s") % {"fund": fund},
    )


def _with_help(text: str, log, step, title: str, helped: list[Revision]) -> str:
    """The submit sentence, naming the helpers who wrote drafts of ``step`` before it."""
    before = [r for r in helped if r.step_id == step.pk and r.created_at <= log.timestamp]
    if not before:
        return text
    return str(SUBMITTED_WITH_HELP) % {
        "person": person_name(log.by),
        "step": title,
        "helpers": helper_names(before),
    }


def history(application: Application) -> list[Entry]:
    """Every transition of ``application``, oldest first, as a sentence (three queries; a
    fourth for an application started from a referral).

    A submitted step that a helper wrote drafts of before it was submitted says "written with
    help from …" (``SUBMITTED_WITH_HELP``)."""
    logs = StateLog.objects.for_(application).select_related("by").order_by("timestamp", "pk")
    steps = list(application.ordered_steps())
    helped = helper_revisions(application)
    position = 0
    entries = [entry] if (entry := _referral_entry(application)) else []
    for log in logs:
        step = steps[min(position, len(steps) - 1)] if steps else None
        title = step.display_title if step is not None else ""
        text = sentence(log.transition, person=person_name(log.by), step=title)
        if log.transition == "submit_step" and step is not None:
            text = _with_help(text, log, step, title, helped)
        entries.append(Entry(when=log.timestamp, text=text, note=log.description or ""))
        if log.transition == "accept_step":
            position += 1
    return entries
