"""Report attachments: PDF, JPEG or PNG up to 10 MB, recognised by their first bytes."""

import hashlib

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_SIZE = 10 * 1024 * 1024
SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}


def sniff_content_type(head: bytes) -> str | None:
    return next((kind for magic, kind in SIGNATURES.items() if head.startswith(magic)), None)


def check_upload(upload) -> dict:
    """The attachment's checked facts, or ValidationError: the name and the browser's claim count
    for nothing, only the content does."""
    if upload.size > MAX_SIZE:
        raise ValidationError(_("%(name)s is larger than 10 MB.") % {"name": upload.name})
    upload.seek(0)
    head = upload.read(16)
    content_type = sniff_content_type(head)
    if content_type is None:
        raise ValidationError(_("%(name)s is not a PDF, JPEG or PNG file.") % {"name": upload.name})
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return {"content_type": content_type, "size": upload.size, "sha256": digest.hexdigest()}
