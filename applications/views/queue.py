"""The fund officers' work queue: what waits for them, in tabs, oldest first.

"All" lists the applications by state (submitted steps by default), as the queue always did;
the other tabs are ``applications.queue_tabs``' (steps waiting for me, past the promised time,
ready for decision, and the agreements' reports and tranches). Whatever the number of rows, a
page costs the same queries: the programmes, the counts of the states, the counts of every tab
(one query), the ids of the page and its rows.
"""

from http import HTTPStatus

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import render
from django.utils import timezone

from applications import queue_tabs
from applications.models import Application
from applications.selectors import shown_to_fund
from funds.models import Programme

#: A large fund has thousands of open applications; a page is what one sitting gets through.
PAGE_SIZE = 50
ALL = "all"
SORTS = ("date", "-date", "title", "-title")


class Counted:
    """Ids whose number the page already counted, so the paginator does not count them again."""

    def __init__(self, ids, total: int):
        self.ids, self.total = ids, total

    def count(self) -> int:
        return self.total

    def __getitem__(self, index):
        return self.ids[index]


def _programmes(request) -> tuple[list[Programme], list[Programme], str]:
    """The user's programmes, those the page shows (the chosen one, if any) and the choice."""
    programmes = list(
        Programme.objects.filter(fund__memberships__user=request.user).select_related("fund")
    )
    chosen = request.GET.get("programme", "")
    if not chosen.isdigit():
        return programmes, programmes, ""
    return programmes, [p for p in programmes if p.pk == int(chosen)], chosen


def _page(request, ids, total: int):
    return Paginator(Counted(ids, total), PAGE_SIZE).get_page(request.GET.get("page"))


def _by_state(request, scope, state_counts):
    """The "All" tab: applications in one state (or all), the one waiting longest first."""
    state = request.GET.get("state") or Application.State.STEP_SUBMITTED
    if state not in Application.State.values and state != ALL:
        state = Application.State.STEP_SUBMITTED
    rows = Application.objects.filter(shown_to_fund(), programme_id__in=scope.programme_ids)
    if state != ALL:
        rows = rows.filter(state=state)
    # Oldest waiting first: the moment the current step got its status. Sorting ids only, then
    # loading the page's 50 rows, keeps the joins off the thousands of rows a big fund has waiting.
    ordered = rows.order_by("current_step__status_changed_at", "pk").values_list("pk", flat=True)
    total = sum(state_counts.values()) if state == ALL else state_counts.get(state, 0)
    page = _page(request, ordered, total)
    shown = (
        Application.objects.select_related("network", "programme__fund", "current_step")
        .defer("current_step__questions", "current_step__intro")
        .in_bulk(list(page.object_list))
    )
    page.object_list = [shown[pk] for pk in page.object_list if pk in shown]
    return {"state": state, "page": page, "rows": page.object_list}


def _tab(request, tab, scope, total: int):
    sort = request.GET.get("sort") or "date"
    if sort not in SORTS:
        sort = "date"
    page = _page(request, queue_tabs.ordered_ids(tab, scope, sort), total)
    page.object_list = tab.rows(scope, list(page.object_list))
    return {"tab": tab, "sort": sort, "page": page, "rows": page.object_list}


@login_required
def queue(request):
    programmes, shown, programme_id = _programmes(request)
    if not programmes and not request.user.fund_memberships.exists():
        return render(
            request, "applications/queue.html", {"not_staff": True}, status=HTTPStatus.FORBIDDEN
        )
    scope = queue_tabs.Scope(user=request.user, programmes=shown, today=timezone.localdate())
    # The user's own programmes imply visibility (see ``application_list``); filtering on them
    # alone lets the state counts run on the (programme, state) index without visiting rows.
    state_counts = (
        dict(
            Application.objects.filter(shown_to_fund(), programme_id__in=scope.programme_ids)
            .order_by()
            .values_list("state")
            .annotate(total=Count("pk"))
            .values_list("state", "total")
        )
        if shown
        else {}
    )
    tab_counts = queue_tabs.counts(scope)
    tab = queue_tabs.get_tab(request.GET.get("tab", ""))
    if tab is None:
        context = _by_state(request, scope, state_counts)
    else:
        context = _tab(request, tab, scope, tab_counts[tab.key])
    return render(
        request,
        "applications/queue.html",
        {
            **context,
            "current_tab": tab.key if tab else ALL,
            "tabs": [
                {"key": each.key, "label": each.label, "count": tab_counts[each.key]}
                for each in queue_tabs.tabs()
            ],
            "states": [
                (value, label, state_counts.get(value, 0))
                for value, label in Application.State.choices
            ],
            "total": sum(state_counts.values()),
            "programmes": programmes,
            "programme_id": programme_id,
        },
    )
