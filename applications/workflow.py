"""How the history names every transition of an application.

What a person may do now, and running it, is ``applications.actions.APPLICATION_ACTIONS``.
"""

from django.utils.translation import gettext_lazy as _

from .actions import APPLICATION_ACTIONS

#: Every transition, including the two the agreements app runs.
HISTORY_LABELS = {
    **APPLICATION_ACTIONS.labels(),
    "contract": _("Agreement signed by everyone"),
    "close": _("Completed: final report accepted and everything paid"),
}
