"""A programme's dashboard for its fund's officers and managers.

Applications per state, how long review rounds take, the budget, the declines with their
referrals, and what the apps above add (pools: the support hours used, through the
``programme_dashboard`` panel slot). The CSV downloads are integrations' views, linked by name.
Anyone but the fund's staff gets a 404, as for every page outside one's scope.
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from applications import dashboard, referral_outcomes
from applications.panels import collect
from applications.review_rounds import review_times
from funds.models import Programme

#: Declines shown a page at a time: a long-running programme collects hundreds.
DECLINES_PER_PAGE = 25


@login_required
def programme_dashboard(request, slug):
    try:
        programme = dashboard.staff_programme(user=request.user, slug=slug)
    except Programme.DoesNotExist:
        raise Http404 from None
    counts = dashboard.state_counts(programme)
    declines = Paginator(dashboard.declines(programme), DECLINES_PER_PAGE).get_page(
        request.GET.get("declines")
    )
    # Each referral with what became of it, from the prefetched applications started from it.
    declines.object_list = referral_outcomes.attach_outcomes(declines.object_list)
    return render(
        request,
        "applications/programme_dashboard.html",
        {
            "programme": programme,
            "fund": programme.fund,
            "states": counts,
            "total": sum(count for _value, _label, count in counts),
            "reviews": review_times(programme),
            "budget": dashboard.budget(programme),
            "declines": declines,
            "referral_counts": referral_outcomes.programme_referral_counts(programme),
            "panels": collect("programme_dashboard", request, programme),
        },
    )
