"""Which screens stay in the fund's languages (settings.FUND_LANGUAGES: Dutch and English).

The volunteer's journey is also in Turkish and Arabic; the fund's own screens are not: its staff
work in Dutch or English, and contracts are written only in those. A person who chose Turkish or
Arabic (an officer can be a volunteer elsewhere) sees these screens in Dutch
(settings.LANGUAGE_CODE). ``config.locale.FundLanguageMiddleware`` asks ``fund_screen`` here for
every page: this is the one list to change when a fund screen is added.
"""

from functools import cache

from django.conf import settings

from applications import permissions
from applications.actions import APPLICATION_ACTIONS
from applications.models import Application

#: Whole groups of views that only the fund's people (or the site's staff) use.
FUND_VIEW_MODULES = (
    "applications.views.queue",
    "applications.views.programme_dashboard",
    "applications.views.lead_officer",
    "agreements.views.officer",  # preparing, editing and sending an agreement
    "agreements.views.transitions",  # sending, paying, accepting reports
    "pools.views.pools",
    "pools.views.budget",
    "pools.views.allocations",
    "integrations.views",
    "directory.views",
    "django.contrib.admin",
)
#: Pages both sides open: the fund's people see them as reviewers, in the fund's language.
REVIEW_PAGES = ("application_detail", "step_detail")


def fund_languages() -> set[str]:
    return {code for code, _name in settings.FUND_LANGUAGES}


@cache
def fund_actions() -> frozenset[str]:
    """The workflow's actions that the fund takes, as the actions registry says who may."""
    fund_side = (permissions.officer_refusal, permissions.manager_refusal)
    return frozenset(action.name for action in APPLICATION_ACTIONS if action.who in fund_side)


def _reviewing(request, pk) -> bool:
    """The person works for the fund this application is sent to (and may review it)."""
    application = Application.objects.filter(pk=pk).select_related("programme").first()
    return application is not None and permissions.is_officer(application, request.user)


def fund_screen(request, view_func, view_kwargs) -> bool:
    """Whether this page is one of the fund's screens (and so stays Dutch or English)."""
    module = getattr(view_func, "__module__", "") or ""
    if any(module == m or module.startswith(f"{m}.") for m in FUND_VIEW_MODULES):
        return True
    match = getattr(request, "resolver_match", None)
    name = match.url_name if match else None
    if name == "application_transition":
        return view_kwargs.get("name") in fund_actions()
    if name in REVIEW_PAGES and request.user.is_authenticated:
        return _reviewing(request, view_kwargs.get("pk"))
    return False
