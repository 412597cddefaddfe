"""Report attachments are opened, not sniffed; they are stored under the type they turned out to be.

Written from the uploader's side: a file that starts like a PDF or an image but is something else
(``%PDF-`` followed by HTML, saved as ``x.html``) is refused, with the field named, through the
service, the API and the web form alike.
"""

import io
import json
import zlib
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from agreements import services
from agreements.models import Agreement, Report, ReportAttachment
from agreements.uploads import MAX_PIXELS, check_upload
from tests.agreements.helpers import PDF, PNG, award, prepare_cooperation, sign_all
from tests.api.conftest import assert_problem, token_client

pytestmark = pytest.mark.django_db

PDF_THEN_HTML = b"%PDF-1.7\n<html><body><script>alert(document.cookie)</script></body></html>\n"


def jpeg(mode="RGB", size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, "JPEG")
    return buffer.getvalue()


def png_with_broken_checksum() -> bytes:
    """A PNG whose first chunk's CRC is wrong: verify() catches what sniffing cannot."""
    return PNG[:29] + bytes([PNG[29] ^ 0xFF]) + PNG[30:]


def png_of(width: int, height: int) -> bytes:
    """A tiny file that would decode to width × height pixels (a decompression bomb)."""
    buffer = io.BytesIO()
    Image.new("1", (width, height)).save(buffer, "PNG")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def executed(world):
    world.application = award(world)
    agreement = prepare_cooperation(world)
    services.agreement_send(
        agreement=agreement, actor=world.officer, note="Checked", confirmed=True
    )
    world.agreement = sign_all(agreement)
    assert world.agreement.state == Agreement.State.EXECUTED
    return world


def submit(world, *attachments):
    return services.report_submit(
        agreement=world.agreement,
        actor=world.coordinator,
        kind="progress",
        what_was_done="Receipts attached",
        attachments=list(attachments),
    )


# ---------------------------------------------------------------------------------------------
# What the content is decides


@pytest.mark.parametrize(
    ("name", "content", "refusal"),
    [
        ("x.html", PDF_THEN_HTML, "x.html could not be opened as a PDF file"),
        ("x.pdf", PDF_THEN_HTML, "x.pdf could not be opened as a PDF file"),
        ("photo.png", PNG[:-20], "photo.png could not be opened as a PNG file"),  # cut short
        ("photo.png", png_with_broken_checksum(), "could not be opened as a PNG file"),
        ("photo.jpg", jpeg()[:200], "photo.jpg could not be opened as a JPEG file"),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "could not be opened as a PNG file"),
        ("bomb.png", png_of(8000, 8000), f"more than {MAX_PIXELS // 1_000_000} megapixels"),
        ("notes.txt", b"just text", "is not a PDF, JPEG or PNG file"),
    ],
)
def test_a_file_that_only_starts_like_a_pdf_or_image_is_refused_with_the_field_named(
    executed, name, content, refusal
):
    with pytest.raises(ValidationError) as refused:
        submit(executed, upload(name, content, "application/pdf"))
    assert refusal in " ".join(refused.value.message_dict["attachments"])
    assert not Report.objects.exists() and not ReportAttachment.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "content_type", "stored_as"),
    [
        ("receipt.html", PDF, "application/pdf", "receipt.pdf"),
        ("receipt.pdf", PDF, "application/pdf", "receipt.pdf"),
        ("photo.PNG", PNG, "image/png", "photo.png"),
        ("scan.pdf", PNG, "image/png", "scan.png"),
        ("photo.jpeg", jpeg(), "image/jpeg", "photo.jpg"),
        ("greyscale", jpeg("L"), "image/jpeg", "greyscale.jpg"),
        ("print.jpg", jpeg("CMYK"), "image/jpeg", "print.jpg"),
        ("../../etc/x.html", PDF, "application/pdf", "x.pdf"),
    ],
)
def test_a_file_that_opens_is_stored_under_the_detected_types_extension(
    executed, name, content, content_type, stored_as
):
    report = submit(executed, upload(name, content, "text/html"))
    attachment = report.attachments.get()
    assert attachment.content_type == content_type
    assert attachment.original_name == stored_as
    assert attachment.file.name.startswith("reports/")
    assert attachment.file.name.rsplit(".", 1)[1] == stored_as.rsplit(".", 1)[1]
    assert attachment.file.read() == content


def test_check_upload_leaves_the_upload_named_for_what_it_is():
    checked = upload("bill.html", PDF)
    facts = check_upload(checked)
    assert facts["content_type"] == "application/pdf" and checked.name == "bill.pdf"


# ---------------------------------------------------------------------------------------------
# The same refusal through the API and the web form


def test_the_api_refuses_pdf_then_html_saved_as_html(executed):
    client = token_client(executed.coordinator)
    response = client.post(
        "/api/v1/reports/",
        {
            "agreement": executed.agreement.pk,
            "kind": "progress",
            "what_was_done": "Receipts attached",
            "spending": json.dumps([]),
            "attachments": [upload("x.html", PDF_THEN_HTML, "application/pdf")],
        },
        format="multipart",
    )
    body = assert_problem(response, HTTPStatus.BAD_REQUEST, field="attachments")
    assert "x.html could not be opened as a PDF file" in body["errors"]["attachments"][0]
    assert not Report.objects.exists()


def test_the_web_form_refuses_pdf_then_html_saved_as_html(client, executed):
    client.force_login(executed.coordinator)
    response = client.post(
        reverse("report_create", args=[executed.agreement.pk]),
        {
            "kind": "progress",
            "what_was_done": "Receipts attached",
            "spending-TOTAL_FORMS": "0",
            "spending-INITIAL_FORMS": "0",
            "attachments": [upload("x.html", PDF_THEN_HTML, "application/pdf")],
        },
    )
    assert response.status_code == HTTPStatus.OK
    assert "x.html could not be opened as a PDF file" in " ".join(
        response.context["form"].errors["attachments"]
    )
    assert not Report.objects.exists()


def test_a_png_whose_image_data_does_not_inflate_is_refused(executed):
    """Chunks and checksums fine, the image data no zlib stream: only decoding shows it."""
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), "red").save(buffer, "PNG")
    good = buffer.getvalue()
    start = good.index(b"IDAT") - 4  # the chunk's length field
    end = start + 12 + int.from_bytes(good[start : start + 4], "big")
    garbage = b"\x78\x9c" + b"\xff" * 16
    chunk = len(garbage).to_bytes(4, "big") + b"IDAT" + garbage
    broken = good[:start] + chunk + zlib.crc32(b"IDAT" + garbage).to_bytes(4, "big") + good[end:]
    with pytest.raises(ValidationError) as refused:
        submit(executed, upload("photo.png", broken))
    assert "could not be opened as a PNG file" in " ".join(refused.value.messages)
