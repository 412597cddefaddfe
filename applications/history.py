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

from .models import Application

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


@dataclass(frozen=True)
class Entry:
    when: datetime
    text: str
    note: str = ""


def history(application: Application) -> list[Entry]:
    """Every transition of ``application``, oldest first, as a sentence (two queries)."""
    logs = StateLog.objects.for_(application).select_related("by").order_by("timestamp", "pk")
    steps = list(application.ordered_steps())
    position = 0
    entries = []
    for log in logs:
        step = steps[min(position, len(steps) - 1)] if steps else None
        title = step.display_title if step is not None else ""
        text = sentence(log.transition, person=person_name(log.by), step=title)
        entries.append(Entry(when=log.timestamp, text=text, note=log.description or ""))
        if log.transition == "accept_step":
            position += 1
    return entries
