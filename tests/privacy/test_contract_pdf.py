"""A new contract PDF leaves the signatories' IP address and browser out: they stay in the
database only, where retention erases them; the PDF itself never changes."""

import io

import pypdf
import pytest

from tests.privacy.helpers import executed

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_a_new_contract_prints_no_ip_address_or_browser(world):
    agreement = executed(world)
    signatory = agreement.signatories.first()
    assert (signatory.ip_address, signatory.user_agent) == ("127.0.0.1", "pytest")  # in the db
    text = pdf_text(agreement.contract_pdf.read())
    assert signatory.typed_name in text
    assert "127.0.0.1" not in text and "pytest" not in text
    assert "IP-adres en de browser van iedere handtekening staan niet in dit document" in " ".join(
        text.split()
    )
