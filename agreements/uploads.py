"""Report attachments: PDF, JPEG or PNG up to 10 MB, recognised by opening them.

The first bytes only say which parser to try: a PDF must open in pypdf and have pages, an image
must pass Pillow's ``verify()`` and then decode. The name and the browser's claim count for
nothing. The stored name takes the detected type's extension, never the uploaded one, so a
file called ``x.html`` is never kept (or offered for download) as HTML.
"""

import hashlib
import threading
import warnings
from contextlib import contextmanager
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from PIL import Image, ImageFile
from pypdf import PdfReader

MAX_SIZE = 10 * 1024 * 1024
#: Larger images are refused before decoding: a small PNG can inflate to gigabytes (a bomb).
MAX_PIXELS = 50_000_000
SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}
EXTENSIONS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}
PILLOW_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG"}
TYPE_NAMES = {"application/pdf": "PDF", "image/png": "PNG", "image/jpeg": "JPEG"}


def sniff_content_type(head: bytes) -> str | None:
    """Which parser to try: a guess from the first bytes, never the answer by itself."""
    return next((kind for magic, kind in SIGNATURES.items() if head.startswith(magic)), None)


class TooManyPixels(Exception):
    """The image header promises more than MAX_PIXELS: it is not decoded at all."""


def _opens_as_pdf(upload) -> bool:
    upload.seek(0)
    try:
        return len(PdfReader(upload).pages) > 0
    except Exception:  # noqa: BLE001 - any failure of the parser on untrusted input is a "no"
        return False


#: Pillow's switches are process-wide: one check at a time changes them.
_PILLOW_SWITCHES = threading.Lock()


@contextmanager
def _strict_pillow():
    """Truncated images and decompression bombs are errors while we check.

    WeasyPrint sets ``ImageFile.LOAD_TRUNCATED_IMAGES = True`` for the whole process when it is
    imported, and then Pillow decodes a cut-off file without complaint.
    """
    with _PILLOW_SWITCHES, warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        tolerant = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = tolerant


def _decodes_as(upload, content_type: str) -> bool:
    formats = [PILLOW_FORMATS[content_type]]
    try:
        with _strict_pillow():
            upload.seek(0)
            with Image.open(upload, formats=formats) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise TooManyPixels
                image.verify()  # the structure and checksums, without decoding
            upload.seek(0)
            with Image.open(upload, formats=formats) as image:
                if content_type == "image/jpeg":
                    # Decode the whole stream at 1/8 scale: every block is read, little memory.
                    image.draft("RGB", (image.width // 8 or 1, image.height // 8 or 1))
                image.load()
        return True
    except TooManyPixels:
        raise
    except Exception:  # noqa: BLE001 - as above: a file Pillow cannot decode is not an image
        return False


def _parses_as(upload, content_type: str) -> bool:
    if content_type == "application/pdf":
        return _opens_as_pdf(upload)
    return _decodes_as(upload, content_type)


def stored_name(name: str, content_type: str) -> str:
    """The upload's own name with the detected type's extension: ``x.html`` → ``x.pdf``."""
    stem = get_valid_filename(PurePath(name or "").stem.strip() or "attachment")[:100]
    return stem + EXTENSIONS[content_type]


def check_upload(upload) -> dict:
    """The attachment's checked facts, or ValidationError.

    On success the upload is renamed to ``stored_name``, so both the file in storage and the
    name offered on download carry the extension of what the content is.
    """
    name = upload.name
    if upload.size > MAX_SIZE:
        raise ValidationError(_("%(name)s is larger than 10 MB.") % {"name": name})
    upload.seek(0)
    content_type = sniff_content_type(upload.read(16))
    if content_type is None:
        raise ValidationError(_("%(name)s is not a PDF, JPEG or PNG file.") % {"name": name})
    try:
        parsed = _parses_as(upload, content_type)
    except TooManyPixels:
        raise ValidationError(
            _("%(name)s has more than %(megapixels)s megapixels. Send a smaller photo.")
            % {"name": name, "megapixels": MAX_PIXELS // 1_000_000}
        ) from None
    if not parsed:
        raise ValidationError(
            _(
                "%(name)s could not be opened as a %(type)s file. Save or scan it again and "
                "upload the new file."
            )
            % {"name": name, "type": TYPE_NAMES[content_type]}
        )
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    upload.name = stored_name(name, content_type)
    return {"content_type": content_type, "size": upload.size, "sha256": digest.hexdigest()}
