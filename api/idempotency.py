"""``Idempotency-Key`` on POST: a retried request gets the first response and changes nothing.

The record is written in the same transaction as the change, so either both happen or neither:
a retry after a crash runs again; a retry after success replays. Two identical requests at the
same moment: the second waits on the unique index until the first commits, then replays it.
Keys are per caller, so one fund can never see another's response. Only responses are kept;
a request refused with an error leaves no record and may be retried as it is.
"""

import hashlib
import json
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from .auth import credential_label
from .errors import problem
from .models import IdempotencyRecord

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
KEEP_FOR = timedelta(days=7)
REPLAYED_HEADERS = ("Location", "ETag")


def fingerprint(request) -> str:
    digest = hashlib.sha256()
    digest.update(f"{request.method}\n{request.get_full_path()}\n".encode())
    if request.content_type.startswith("multipart/"):
        # Django refuses ``request.body`` for uploads above DATA_UPLOAD_MAX_MEMORY_SIZE, so an
        # upload is fingerprinted from its parsed fields and the files' contents instead.
        for name, values in sorted(request.data.lists()):
            for value in values:
                if hasattr(value, "chunks"):
                    digest.update(f"{name}:{value.name}:{value.size}\n".encode())
                    for chunk in value.chunks():
                        digest.update(chunk)
                    value.seek(0)
                else:
                    digest.update(f"{name}={value}\n".encode())
    else:
        digest.update(request.body)
    return digest.hexdigest()


def run_idempotently(request, *args, handler, **kwargs):
    key = request.headers.get(HEADER, "").strip()
    owner = credential_label(request)
    if not key or not owner:
        return handler(request, *args, **kwargs)
    if len(key) > MAX_KEY_LENGTH:
        return problem(400, _("The Idempotency-Key is too long (255 characters at most)."))
    print_ = fingerprint(request)
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(owner=owner, key=key, fingerprint=print_)
        except IntegrityError:
            record = None  # used before (or being used right now): replay below
        if record is not None:
            response = handler(request, *args, **kwargs)
            if not isinstance(response, Response) or response.status_code >= 500:
                transaction.set_rollback(True)
                return response
            record.status_code = response.status_code
            # As the client received it: Decimals and dates as JSON renders them.
            record.body = json.loads(JSONRenderer().render(response.data) or b"null")
            record.headers = {h: response[h] for h in REPLAYED_HEADERS if response.has_header(h)}
            record.save(update_fields=["status_code", "body", "headers"])
            return response
    record = IdempotencyRecord.objects.filter(owner=owner, key=key).first()
    if record is None or record.status_code is None:
        return problem(409, _("A request with this Idempotency-Key is still running. Retry soon."))
    if record.fingerprint != print_:
        return problem(
            422, _("This Idempotency-Key was used for a different request. Use a new key.")
        )
    response = Response(record.body, status=record.status_code, headers=record.headers)
    response["Idempotent-Replayed"] = "true"
    return response


def prune(now=None) -> int:
    """Forget responses older than a week; run from cron or the task worker."""
    cutoff = (now or timezone.now()) - KEEP_FOR
    return IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()[0]
