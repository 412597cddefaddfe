"""One error shape everywhere: RFC 9457 problem details, with field errors for bad input.

Services raise Django's ValidationError, PermissionDenied and our InvalidTransition; DRF raises
its own exceptions. All of them leave here as ``application/problem+json``::

    {"type": "https://eigenwijs.nl/problems/validation", "title": "...", "status": 400,
     "detail": "...", "errors": {"amount": ["..."]}}
"""

from http import HTTPStatus

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from core.exceptions import InvalidTransition

PROBLEM_BASE = "https://eigenwijs.nl/problems/"
PROBLEM_TYPES = {
    400: "validation",
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    409: "conflict",
    412: "precondition-failed",
    415: "unsupported-media-type",
    422: "idempotency-key-reused",
    428: "precondition-required",
    429: "too-many-requests",
}


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "This is not possible now."
    default_code = "conflict"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The content changed since you read it. Fetch it again and retry."
    default_code = "precondition_failed"


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = "Send If-Match with the ETag you read, so no one's change is overwritten."
    default_code = "precondition_required"


def problem(status_code: int, detail: str, *, errors: dict | None = None, headers=None) -> Response:
    body = {
        "type": PROBLEM_BASE + PROBLEM_TYPES.get(status_code, "error"),
        "title": HTTPStatus(status_code).phrase,
        "status": status_code,
        "detail": str(detail),
    }
    if errors:
        body["errors"] = errors
    response = Response(body, status=status_code, headers=headers)
    response.content_type = "application/problem+json"
    return response


def _field_errors(detail) -> dict:
    if isinstance(detail, dict):
        return {key: _messages(value) for key, value in detail.items()}
    return {"non_field_errors": _messages(detail)}


def _messages(value) -> list[str]:
    if isinstance(value, list):
        out = []
        for item in value:
            out.extend(_messages(item) if isinstance(item, list | dict) else [str(item)])
        return out
    if isinstance(value, dict):
        return [f"{key}: {message}" for key, inner in value.items() for message in _messages(inner)]
    return [str(value)]


def _from_django(exc):
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            return exceptions.ValidationError(exc.message_dict)
        return exceptions.ValidationError({"non_field_errors": exc.messages})
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, InvalidTransition):
        return Conflict(exc.message)
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    return exc


def problem_exception_handler(exc, context):
    exc = _from_django(exc)
    response = exception_handler(exc, context)
    if response is None:
        return None  # a real server error: let Django report it
    if isinstance(exc, exceptions.ValidationError):
        return problem(
            response.status_code,
            _("Some of the input is not valid."),
            errors=_field_errors(exc.detail),
            headers=_kept_headers(response),
        )
    detail = exc.detail if isinstance(exc, exceptions.APIException) else response.data
    if isinstance(detail, dict | list):
        detail = " ".join(_messages(detail))
    return problem(response.status_code, detail, headers=_kept_headers(response))


def _kept_headers(response) -> dict:
    # WWW-Authenticate for 401, Retry-After for 429, Allow for 405.
    return {
        name: response[name]
        for name in ("WWW-Authenticate", "Retry-After", "Allow")
        if response.has_header(name)
    }


def page_not_found(request, exception):
    """Django's 404 for a URL no route matches (``handler404``), such as ``/api/v1/agreements/0.5/``:
    a problem like every other API error under /api/, the site's HTML page everywhere else."""
    if not request.path.startswith("/api/"):
        return defaults.page_not_found(request, exception)
    body = {
        "type": PROBLEM_BASE + PROBLEM_TYPES[404],
        "title": HTTPStatus.NOT_FOUND.phrase,
        "status": 404,
        "detail": str(exceptions.NotFound.default_detail),
    }
    return JsonResponse(body, status=404, content_type="application/problem+json")
