import datetime
import io
import socket
import threading
import time
from decimal import Decimal

import pypdf
import pytest
import weasyprint
from django.conf import settings

from agreements.models import Agreement, Signatory, Tranche
from agreements.pdf import SafeURLFetcher, render_contract_pdf, sha256_hex
from agreements.text import format_money, render_agreement_html

pytestmark = pytest.mark.django_db

SIGNED_AT = datetime.datetime(2025, 3, 12, 13, 5, tzinfo=datetime.UTC)
NAMES = ["Anna de Vries", "Bram Öztürk", "Chantal Bakker"]


def build_agreement(world, *, budget_lines=None, purpose="Seeds, soil and tools.", send=True):
    """A cooperation agreement of three signed members, frozen as if it had been sent."""
    agreement = Agreement.objects.create(
        application=world.application,
        arrangement="cooperation_agreement",
        language="nl",
        amount=Decimal("1234.50"),
        purpose=purpose,
        budget_lines=budget_lines
        if budget_lines is not None
        else [
            {"description": "Seeds and soil", "amount": "1034.50", "in_kind": False},
            {"description": "Bookkeeping help", "amount": "200", "in_kind": True},
        ],
        obligations="Report what you did.\nKeep the receipts.",
        final_report_due=datetime.date(2026, 1, 31),
        progress_report_due=datetime.date(2025, 9, 1),
        payee_name=NAMES[0],
        iban="NL91ABNA0417164300",
        prepared_by=world.officer,
    )
    for number, (amount, trigger) in enumerate(
        [("1000.00", Tranche.Trigger.ON_SIGNING), ("234.50", Tranche.Trigger.FINAL_REPORT)], 1
    ):
        Tranche.objects.create(agreement=agreement, number=number, amount=amount, trigger=trigger)
    for index, name in enumerate(NAMES):
        Signatory.objects.create(
            agreement=agreement,
            role=Signatory.Role.COORDINATOR if index == 0 else Signatory.Role.MEMBER,
            name=name,
            email=f"signer{index}@example.org",
        )
    if send:
        html = render_agreement_html(agreement)
        agreement.send(frozen_html=html, frozen_sha256=sha256_hex(html.encode()))
        agreement.save()
        for index, signatory in enumerate(agreement.signatories.all()):
            signatory.signed_at = SIGNED_AT + datetime.timedelta(minutes=index)
            signatory.typed_name = signatory.name
            signatory.ip_address = f"192.0.2.{index + 1}"
            signatory.seen_sha256 = agreement.frozen_sha256
            signatory.save()
    return agreement


def pdf_text(data: bytes) -> tuple[str, int]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def test_contract_pdf_names_parties_signers_amount_and_hash(world):
    agreement = build_agreement(world)
    text, _pages = pdf_text(render_contract_pdf(agreement))
    assert world.fund.name in text
    assert world.network.name in text
    for name in NAMES:
        assert name in text
    assert "€ 1.234,50" in text
    assert agreement.frozen_sha256 in "".join(text.split())
    assert "pagina 1 van" in text


def test_contract_pdf_is_byte_identical_for_the_same_data(world):
    agreement = build_agreement(world)
    first = render_contract_pdf(agreement)
    assert first.startswith(b"%PDF-")
    time.sleep(1.1)  # fonts once carried the second they were rendered in
    assert render_contract_pdf(Agreement.objects.get(pk=agreement.pk)) == first


def test_long_budget_runs_over_several_pages(world):
    lines = [
        {"description": f"Budget line {n}: materials", "amount": "10.00", "in_kind": n % 3 == 0}
        for n in range(120)
    ]
    _text, pages = pdf_text(render_contract_pdf(build_agreement(world, budget_lines=lines)))
    assert pages >= 2


def test_money_is_formatted_per_language():
    assert format_money(Decimal("1234.5"), "nl") == "€ 1.234,50"
    assert format_money(Decimal("1234.5"), "en") == "€ 1,234.50"
    assert format_money(Decimal("1234567"), "nl") == "€ 1.234.567,00"
    assert format_money(Decimal("0.5"), "en") == "€ 0.50"


def test_text_is_deterministic_and_english_has_english_words(world):
    agreement = build_agreement(world, send=False)
    agreement.language = "en"
    html = render_agreement_html(agreement)
    assert html == render_agreement_html(agreement)
    assert "€ 1,234.50" in html
    assert "take joint responsibility for spending and reporting" in html
    assert "<html" not in html


def test_amendment_refers_to_the_amended_agreement(world):
    previous = build_agreement(world, send=False)
    amendment = Agreement.objects.create(
        application=world.application,
        amends=previous,
        arrangement="support_only",
        amount=Decimal("0"),
        purpose="Advice",
        obligations="Meet twice",
        final_report_due=datetime.date(2026, 1, 31),
        prepared_by=world.officer,
    )
    html = render_agreement_html(amendment)
    assert f"wijzigt overeenkomst #{previous.pk} van" in html
    assert "geen geld" in html
    amendment.language = "en"
    assert f"This agreement amends agreement #{previous.pk} of" in render_agreement_html(amendment)


def test_user_text_is_escaped_in_the_agreement_text(world):
    world.network.name = "<b>x</b>"
    world.network.save()
    html = render_agreement_html(build_agreement(world, send=False))
    assert "&lt;b&gt;x&lt;/b&gt;" in html
    assert "<b>x</b>" not in html


def test_html_in_purpose_is_printed_literally_and_fetches_nothing(world, monkeypatch):
    fetched = []
    original = SafeURLFetcher.fetch
    monkeypatch.setattr(
        SafeURLFetcher,
        "fetch",
        lambda self, url, headers=None: fetched.append(url) or original(self, url),
    )
    purpose = '<img src="file:///etc/passwd">'
    agreement = build_agreement(world, purpose=purpose)
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in agreement.frozen_html
    text, _pages = pdf_text(render_contract_pdf(agreement))
    assert purpose in text
    assert all(url.endswith("/static/agreements/contract.css") for url in fetched)


class Listener:
    """A TCP listener on 127.0.0.1 that records every connection made to it."""

    def __init__(self):
        self.connections = 0
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.stopped.is_set():
            try:
                conn, _addr = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            conn.close()

    def close(self):
        self.stopped.set()
        self.thread.join()
        self.sock.close()


@pytest.fixture
def listener():
    listener = Listener()
    yield listener
    listener.close()


def page_with_remote_resources(port: int) -> str:
    return (
        f'<html><head><link rel="stylesheet" href="http://127.0.0.1:{port}/s.css"></head>'
        f'<body><img src="http://127.0.0.1:{port}/x.png"><img src="file:///etc/passwd">'
        "<p>hello</p></body></html>"
    )


def test_default_fetcher_does_connect_so_the_listener_works(listener):
    html = weasyprint.HTML(string=page_with_remote_resources(listener.port))
    html.write_pdf()
    assert listener.connections > 0


def test_safe_fetcher_makes_no_connection(listener):
    html = weasyprint.HTML(
        string=page_with_remote_resources(listener.port), url_fetcher=SafeURLFetcher()
    )
    assert html.write_pdf().startswith(b"%PDF-")
    assert listener.connections == 0


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/x.png",
        "https://example.org/x.css",
        "ftp://example.org/x",
        "file://example.org/static/x.css",
        "gopher://127.0.0.1/",
    ],
)
def test_safe_fetcher_refuses_other_urls(url):
    with pytest.raises(ValueError):
        SafeURLFetcher().fetch(url)


def test_safe_fetcher_refuses_dot_dot_out_of_static():
    static = (settings.BASE_DIR / "static").resolve()
    with pytest.raises(ValueError):
        SafeURLFetcher().fetch(static.as_uri() + "/../config/settings/base.py")
    with pytest.raises(ValueError):
        SafeURLFetcher().fetch(static.as_uri() + "/%2e%2e/config/settings/base.py")


def test_safe_fetcher_refuses_symlink_out_of_static(tmp_path, settings):
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "ok.css").write_text("p {}")
    (tmp_path / "static" / "leak.css").symlink_to("/etc/passwd")
    settings.BASE_DIR = tmp_path
    assert SafeURLFetcher().fetch((tmp_path / "static" / "ok.css").as_uri()).read() == b"p {}"
    with pytest.raises(ValueError):
        SafeURLFetcher().fetch((tmp_path / "static" / "leak.css").as_uri())


def test_safe_fetcher_serves_static_files_and_data_urls():
    css = (settings.BASE_DIR / "static" / "agreements" / "contract.css").resolve()
    response = SafeURLFetcher().fetch(css.as_uri())
    assert b"DejaVu Sans" in response.read()
    assert response.content_type == "text/css"
    assert SafeURLFetcher().fetch("data:text/plain;base64,aGk=").read() == b"hi"
    assert SafeURLFetcher().fetch("data:,a%20b").read() == b"a b"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_each_arrangement_names_who_receives_the_money(world, language):
    agreement = build_agreement(world, send=False)
    agreement.language = language
    agreement.arrangement = "legal_entity"
    agreement.kvk_number = "12345678"
    assert "12345678" in render_agreement_html(agreement)
    assert "NL91 ABNA 0417 1643 00" in render_agreement_html(agreement)
    agreement.arrangement = "host_organisation"
    agreement.host_name = "Buurthuis & Co"
    agreement.host_representative_name = "Dirk Host"
    html = render_agreement_html(agreement)
    assert "Buurthuis &amp; Co" in html
    assert "Dirk Host" in html
    agreement.arrangement = "support_only"
    html = render_agreement_html(agreement)
    assert "NL91" not in html
    assert "pool" in html
    assert "contract-amount" not in html
