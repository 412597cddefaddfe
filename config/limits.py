"""Request bodies over the limit are refused before anyone reads them.

Django's own limits (``DATA_UPLOAD_MAX_MEMORY_SIZE``, ``FILE_UPLOAD_MAX_MEMORY_SIZE``) decide what
is kept in memory and what goes to a temporary file, but the multipart parser still reads a body
to its end. ``MAX_REQUEST_BODY_SIZE`` caps the whole body by its declared ``Content-Length``, in
``process_view``: after routing and sign-in, before CSRF or a view touches ``request.POST`` or
``request.FILES``. The reverse proxy in ``deploy/`` enforces the same number
(``client_max_body_size``) in front, so a client never uploads 1 GB to learn it was too much.
"""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from agreements.uploads import MAX_SIZE as MAX_FILE_SIZE
from api.errors import PROBLEM_BASE

TOO_LARGE = 413


def declared_length(request) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:  # Django reads such a body as empty, too
        return 0


def too_large(request, limit: int):
    detail = _(
        "What you sent is larger than %(limit)s MB in total. Send fewer or smaller files at a "
        "time: each file may be at most %(file_limit)s MB."
    ) % {"limit": limit // 2**20, "file_limit": MAX_FILE_SIZE // 2**20}
    if request.path.startswith("/api/"):
        body = {
            "type": PROBLEM_BASE + "content-too-large",
            "title": _("Content too large"),
            "status": TOO_LARGE,
            "detail": detail,
        }
        return JsonResponse(body, status=TOO_LARGE, content_type="application/problem+json")
    return render(request, "413.html", {"detail": detail}, status=TOO_LARGE)


class RequestBodyLimitMiddleware:
    """Answers 413 (a problem under /api/, a page elsewhere) for bodies over the limit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        limit = settings.MAX_REQUEST_BODY_SIZE
        if declared_length(request) > limit:
            return too_large(request, limit)
        return None
