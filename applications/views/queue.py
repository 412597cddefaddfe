"""The fund officers' work queue: submitted steps waiting for a review, oldest first."""

from http import HTTPStatus

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import render

from applications.models import Application
from applications.selectors import application_list
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
    applications = application_list(user=request.user).filter(programme__in=programmes.values("pk"))
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
    # Oldest waiting first: the moment the current step got its status.
    rows = rows.order_by("current_step__status_changed_at", "pk")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
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
