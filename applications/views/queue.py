"""The fund officers' work queue: submitted steps waiting for a review, oldest first."""

from http import HTTPStatus

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import render

from applications.models import Application
from funds.models import Programme

#: A large fund has thousands of open applications; a page is what one sitting gets through.
PAGE_SIZE = 50


@login_required
def queue(request):
    programmes = Programme.objects.filter(fund__memberships__user=request.user).select_related(
        "fund"
    )
    if not request.user.fund_memberships.exists():
        return render(
            request, "applications/queue.html", {"not_staff": True}, status=HTTPStatus.FORBIDDEN
        )
    # The user's own programmes imply visibility (see ``application_list``); filtering on them
    # alone lets the state counts run on the (programme, state) index without visiting rows.
    applications = Application.objects.filter(programme__in=programmes.values("pk"))
    counts = dict(
        applications.order_by()
        .values_list("state")
        .annotate(total=Count("pk"))
        .values_list("state", "total")
    )
    state = request.GET.get("state") or Application.State.STEP_SUBMITTED
    if state not in Application.State.values and state != "all":
        state = Application.State.STEP_SUBMITTED
    programme_id = request.GET.get("programme", "")
    rows = applications
    if state != "all":
        rows = rows.filter(state=state)
    if programme_id.isdigit():
        rows = rows.filter(programme_id=programme_id)
    # Oldest waiting first: the moment the current step got its status. Sorting ids only, then
    # loading the page's 50 rows, keeps the joins off the thousands of rows a big fund has waiting.
    ordered = rows.order_by("current_step__status_changed_at", "pk").values_list("pk", flat=True)
    page = Paginator(ordered, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = Application.objects.select_related(
        "network", "programme__fund", "current_step"
    ).in_bulk(list(page.object_list))
    page.object_list = [shown[pk] for pk in page.object_list]
    return render(
        request,
        "applications/queue.html",
        {
            "rows": page.object_list,
            "page": page,
            "state": state,
            "states": [
                (value, label, counts.get(value, 0)) for value, label in Application.State.choices
            ],
            "total": sum(counts.values()),
            "programmes": programmes,
            "programme_id": programme_id,
        },
    )
