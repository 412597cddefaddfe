"""The contract PDF: the frozen text every signer saw, plus a page with the signatures.

Rendered once, when the last signature is in; its SHA-256 is stored and is how a file is later
recognised (see agreements.verification). WeasyPrint gives byte-identical output for the same
HTML, fonts and WeasyPrint version, so nothing time-dependent may enter the HTML.

WeasyPrint fetches whatever a document names (file:///etc/passwd, http://169.254.169.254/...).
SafeURLFetcher allows only data: URLs and regular files inside the project's static folder.
"""

import base64
import hashlib
import mimetypes
import os
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes, urlsplit
from urllib.request import url2pathname
from zoneinfo import ZoneInfo

import weasyprint
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint.urls import URLFetcher, URLFetcherResponse

from agreements.text import role_label

# fontTools stamps every subset font with the time of rendering, unless this reproducible-builds
# variable fixes it: without it, two renders a second apart differ in bytes and in hash.
os.environ.setdefault("SOURCE_DATE_EPOCH", "946684800")  # 2000-01-01, any fixed moment will do

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

# The wrapper's own words, per contract language (the PDF is a document, not the web UI).
LABELS = {
    "nl": {
        "title": "Overeenkomst",
        "hash": "SHA-256 van de tekst die iedere ondertekenaar zag:",
        "signatures": "Handtekeningen",
        "signatures_intro": (
            "Iedere ondertekenaar opende een persoonlijke link, las de tekst hierboven en "
            "typte zijn of haar naam."
        ),
        "evidence_kept_apart": (
            "Het IP-adres en de browser van iedere handtekening staan niet in dit document: "
            "ze worden apart bewaard als bewijs, en gewist na de bewaartermijn van het fonds."
        ),
        "network_side": "Voor het netwerk",
        "fund_side": "Voor het fonds (tekent als laatste)",
        "role": "Tekent als",
        "typed_name": "Getypte naam",
        "signed_at": "Getekend op",
        "seen": "SHA-256 van de geziene tekst",
        "not_signed": "nog niet getekend",
        "page": "pagina",
        "of": "van",
    },
    "en": {
        "title": "Agreement",
        "hash": "SHA-256 of the text every signer saw:",
        "signatures": "Signatures",
        "signatures_intro": (
            "Every signer opened a personal link, read the text above and typed their name."
        ),
        "evidence_kept_apart": (
            "The IP address and browser of each signature are not in this document: they are "
            "kept apart as evidence, and erased after the fund's retention period."
        ),
        "network_side": "For the network",
        "fund_side": "For the fund (signs last)",
        "role": "Signs as",
        "typed_name": "Typed name",
        "signed_at": "Signed at",
        "seen": "SHA-256 of the text seen",
        "not_signed": "not signed yet",
        "page": "page",
        "of": "of",
    },
}


class URLRefused(ValueError):
    pass


def static_root() -> Path:
    return (Path(settings.BASE_DIR) / "static").resolve()


class SafeURLFetcher(URLFetcher):
    """Serves data: URLs and files under BASE_DIR/static; refuses everything else.

    Never calls the parent's opener, so no HTTP, FTP or other handler can be reached.
    """

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return self._fetch_data(url)
        if scheme == "file":
            return self._fetch_static_file(url, parts)
        raise URLRefused(f"refused to fetch {url!r}: only data: and static files are allowed")

    @staticmethod
    def _fetch_data(url):
        header, comma, payload = url[len("data:") :].partition(",")
        if not comma:
            raise URLRefused("malformed data: URL")
        params = header.split(";")
        is_base64 = params[-1].strip().lower() == "base64"
        if is_base64:
            params = params[:-1]
        body = unquote_to_bytes(payload)
        if is_base64:
            body = base64.b64decode(body)
        mime = params[0].strip() or "text/plain"
        return URLFetcherResponse(url, body, {"Content-Type": mime})

    @staticmethod
    def _fetch_static_file(url, parts):
        if parts.netloc not in ("", "localhost"):
            raise URLRefused(f"refused to fetch {url!r}: remote file host")
        root = static_root()
        # resolve() follows symlinks and removes "..": what is checked is the real file.
        path = Path(url2pathname(unquote(parts.path))).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            raise URLRefused(f"refused to fetch {url!r}: not a file in the static folder")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": mime})


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _signature_rows(agreement, language: str) -> list[dict]:
    rows = []
    for signatory in agreement.signatories.order_by("pk"):
        signed_at = signatory.signed_at
        rows.append(
            {
                "name": signatory.name,
                "role_label": role_label(signatory, language),
                "typed_name": signatory.typed_name,
                "signed_at": (
                    signed_at.astimezone(AMSTERDAM).strftime("%Y-%m-%d %H:%M:%S %Z")
                    if signed_at
                    else ""
                ),
                "seen_sha256": signatory.seen_sha256,
                "for_fund": signatory.role == "fund",
            }
        )
    return rows


def contract_pdf_html(agreement) -> str:
    language = agreement.language if agreement.language in LABELS else "nl"
    with translation.override(language):
        return render_to_string(
            "agreements/contract/pdf.html",
            {
                "agreement": agreement,
                "language": language,
                "labels": LABELS[language],
                "stylesheet": (static_root() / "agreements" / "contract.css").as_uri(),
                "signatures": _signature_rows(agreement, language),
            },
        )


#: PDF/A-3a: archival (A) at its "accessible" level (a): tagged structure, Unicode text, the
#: language and the title shown. WeasyPrint's "pdf/ua-1" gives the same tags, language and
#: title, but writes only one identification into the metadata; so the PDF/UA-1 one is added
#: beside PDF/A's (``UA_IDENTIFICATION``) and the file claims both, as it meets both.
PDF_VARIANT = "pdf/a-3a"
UA_IDENTIFICATION = (
    b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"'
    b' pdfuaid:part="1"/></rdf:RDF>'
)


def render_contract_pdf(agreement) -> bytes:
    """The contract as tagged PDF/A-3a and PDF/UA-1 bytes: identical for identical data."""
    html = weasyprint.HTML(
        string=contract_pdf_html(agreement),
        base_url=static_root().as_uri() + "/",
        url_fetcher=SafeURLFetcher(),
    )
    document = html.render(pdf_variant=PDF_VARIANT)
    document.metadata.xmp_metadata.append(UA_IDENTIFICATION)
    return document.write_pdf(pdf_variant=PDF_VARIANT)
