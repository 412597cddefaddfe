"""CSV downloads of one programme, for the fund's staff, from the programme's dashboard.

The same rows and columns as the API's exports (``integrations.exports.spreadsheets``: UTF-8
with a byte-order mark, commas, formulas defused), narrowed to one programme; the web page only
links here by URL name. Who may download is who may see the dashboard
(``applications.dashboard.staff_programme``): anyone else gets a 404, an anonymous visitor the
sign-in page. The files hold payees and IBANs, so no cache keeps them.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, StreamingHttpResponse
from django.urls import path
from django.views.decorators.cache import never_cache

from agreements.selectors import tranche_list
from applications.dashboard import staff_programme
from funds.models import Programme
from integrations.exports import spreadsheets

DOWNLOADS = {
    "applications": (spreadsheets.APPLICATION_COLUMNS, spreadsheets.application_rows),
    "tranches": (spreadsheets.TRANCHE_COLUMNS, spreadsheets.tranche_rows),
}


def _download(request, slug: str, name: str) -> StreamingHttpResponse:
    try:
        programme = staff_programme(user=request.user, slug=slug)
    except Programme.DoesNotExist:
        raise Http404 from None
    columns, rows = DOWNLOADS[name]
    narrowed = {"programme": programme}
    if name == "tranches":  # a draft's tranches only for who may see the draft
        narrowed["visible"] = tranche_list(request.user, fund_id=programme.fund_id)
    response = StreamingHttpResponse(
        spreadsheets.stream_csv(columns, rows(programme.fund, **narrowed)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}-{programme.slug}.csv"'
    return response


@never_cache
@login_required
def programme_applications_csv(request, slug):
    return _download(request, slug, "applications")


@never_cache
@login_required
def programme_tranches_csv(request, slug):
    return _download(request, slug, "tranches")


urlpatterns = [
    path(
        "programmes/<slug:slug>/applications.csv",
        programme_applications_csv,
        name="programme_applications_csv",
    ),
    path(
        "programmes/<slug:slug>/tranches.csv",
        programme_tranches_csv,
        name="programme_tranches_csv",
    ),
]
