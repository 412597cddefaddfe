"""Benchmark: render a 3-page contract PDF 20 times, against a one-line WeasyPrint baseline.

    .venv/bin/python bench/contract_render.py

With the development settings (``config.settings.dev``: DEBUG on, static files from the source
folders) unless DJANGO_SETTINGS_MODULE names others.

Runs against a fresh in-memory SQLite database (migrated here), so db.sqlite3 is never touched.
"""

import datetime
import io
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
# Before Django reads its settings: a throw-away database, whatever DATABASE_URL says.
os.environ["DATABASE_URL"] = "sqlite://:memory:"

RUNS = 20


def timed(render) -> list[float]:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        render()
        times.append(time.perf_counter() - start)
    return times


def build_contract():
    from django.contrib.auth import get_user_model

    from agreements.models import Agreement, Signatory, Tranche
    from agreements.pdf import sha256_hex
    from agreements.text import render_agreement_html
    from applications.models import Application, Network
    from funds.models import Fund, Programme

    user = get_user_model().objects.create_user("bench", "bench@example.org", "x")
    fund = Fund.objects.create(name="Fonds Buurtkracht", slug="buurtkracht")
    today = datetime.date(2025, 1, 1)
    programme = Programme.objects.create(
        fund=fund,
        title="Groen in de wijk",
        slug="groen",
        budget=Decimal("100000"),
        max_amount=Decimal("5000"),
        opens_on=today,
        closes_on=today + datetime.timedelta(days=90),
        accepts_cooperation_agreement=True,
    )
    network = Network.objects.create(name="Buurttuin Oost", area="Amsterdam-Oost")
    application = Application.objects.create(
        network=network, programme=programme, title="Moestuin", requested_amount=Decimal("4200")
    )
    agreement = Agreement.objects.create(
        application=application,
        arrangement="cooperation_agreement",
        amount=Decimal("4200.00"),
        purpose="Een moestuin voor de hele straat.\nZaad, aarde, gereedschap en een schuur.",
        budget_lines=[
            {
                "description": f"Post {n}: materiaal en gereedschap",
                "amount": "100",
                "in_kind": n % 4 == 0,
            }
            for n in range(15)
        ],
        obligations="Houd de bonnetjes.\nSchrijf een kort eindverslag.",
        final_report_due=datetime.date(2026, 1, 31),
        payee_name="Anna de Vries",
        iban="NL91ABNA0417164300",
        prepared_by=user,
    )
    Tranche.objects.create(agreement=agreement, number=1, amount="3000", trigger="on_signing")
    Tranche.objects.create(agreement=agreement, number=2, amount="1200", trigger="final_report")
    signed_at = datetime.datetime(2025, 3, 12, 13, 5, tzinfo=datetime.UTC)
    for n, name in enumerate(["Anna de Vries", "Bram Öztürk", "Chantal Bakker"]):
        Signatory.objects.create(
            agreement=agreement, role="member", name=name, email=f"s{n}@example.org"
        )
    html = render_agreement_html(agreement)
    agreement.send(frozen_html=html, frozen_sha256=sha256_hex(html.encode()))
    agreement.save()
    for signatory in agreement.signatories.all():
        signatory.signed_at = signed_at
        signatory.typed_name = signatory.name
        signatory.ip_address = "192.0.2.1"
        signatory.seen_sha256 = agreement.frozen_sha256
        signatory.save()
    return agreement


def summary(label: str, times: list[float]) -> str:
    return (
        f"{label}: median {statistics.median(times):.3f} s, "
        f"min {min(times):.3f} s, max {max(times):.3f} s ({RUNS} runs)"
    )


def main() -> None:
    import logging

    import django

    django.setup()
    # WeasyPrint reports every layout step at INFO: keep the output to the figures.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    import pypdf
    import weasyprint
    from django.core.management import call_command

    from agreements.pdf import render_contract_pdf

    call_command("migrate", verbosity=0)
    agreement = build_contract()
    pdf = render_contract_pdf(agreement)  # warm-up: fonts, templates
    pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
    contract = timed(lambda: render_contract_pdf(agreement))
    weasyprint.HTML(string="<p>Hallo</p>").write_pdf()
    baseline = timed(lambda: weasyprint.HTML(string="<p>Hallo</p>").write_pdf())

    print(
        f"python {sys.version.split()[0]}, weasyprint {weasyprint.__version__}, "
        f"{os.cpu_count()} CPUs"
    )
    print(f"contract: {pages} pages, {len(pdf)} bytes")
    print(summary("contract render", contract))
    print(summary("one-line baseline", baseline))
    ratio = statistics.median(contract) / statistics.median(baseline)
    print(f"ratio contract/baseline (medians): {ratio:.1f}")


if __name__ == "__main__":
    main()
