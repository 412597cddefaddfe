"""The README's "For back offices" examples run exactly as written against the demo.

The shell blocks with curl in that section are joined into one script, pointed at a live server loaded with
``manage.py demo`` and run with bash (``set -euo pipefail``; every curl has ``-f``), so an example
that stops working fails here. Afterwards the database and the downloaded files show that each
example did what the README says it does.
"""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from agreements.models import Agreement
from applications.models import Application, Comment
from integrations.exports.threesixty import validation_errors
from integrations.models import WebhookDelivery, WebhookEndpoint
from integrations.webhooks import ssrf
from tests.conftest import require_or_skip

README = Path(__file__).resolve().parent.parent / "README.md"
DEMO_API = "http://127.0.0.1:8000/api/v1"


def back_office_script() -> str:
    text = README.read_text()
    section = text.split("## For back offices", 1)[1].split("\n## ", 1)[0]
    blocks = [b for b in re.findall(r"```sh\n(.*?)```", section, flags=re.DOTALL) if "curl" in b]
    assert len(blocks) >= 2 and DEMO_API in blocks[0]
    return "\n".join(blocks)


@pytest.fixture
def demo_server(live_server, transactional_db, settings, monkeypatch):
    require_or_skip(
        all(shutil.which(tool) for tool in ("bash", "curl", "jq")),
        "needs bash, curl and jq (apt-get install -y curl jq)",
    )
    settings.ALLOWED_HOSTS = ["*"]
    # No DNS here: the README's receiver resolves to a public address (example.org's), which the
    # server-side-request-forgery check accepts. Nothing is sent: no worker runs in the test.
    monkeypatch.setattr(ssrf, "resolve", lambda host, port: ["93.184.215.14"])
    call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115 - closed with the process
    return live_server


def test_back_office_examples_run_as_written(demo_server, tmp_path):
    script = back_office_script().replace(DEMO_API, f"{demo_server.url}/api/v1")
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"

    moestuin = Application.objects.get(title="Moestuin op het pleintje")
    assert moestuin.state == Application.State.DECLINED
    referral = moestuin.referrals.get()
    # Stored as the service keeps it: the number in E.164, the address with its scheme.
    assert (referral.phone, referral.url) == (
        "+31205550101",
        "https://www.amsterdam.nl/bewonersinitiatieven",
    )
    assert (
        Comment.objects.filter(
            step__application=moestuin, body="Hoeveel buren verwacht je per week?"
        ).count()
        == 1
    )
    reparatie = Application.objects.get(title="Reparatiemiddagen in de bibliotheek")
    assert reparatie.current_step.key == "accountability"
    assert reparatie.state == Application.State.DRAFTING

    contract = (tmp_path / "contract.pdf").read_bytes()
    signed = [a.contract_pdf.open("rb").read() for a in Agreement.objects.filter(state="executed")]
    assert contract in signed
    assert PdfReader(tmp_path / "contract.pdf").pages
    assert '"matches":true' in result.stdout
    package = json.loads((tmp_path / "360giving.json").read_text())
    assert package["grants"] and validation_errors(package) == []
    assert (tmp_path / "applications.csv").read_text().count("\n") > 5
    assert (tmp_path / "tranches.csv").exists()
    assert b"pain.001" in (tmp_path / "batch.xml").read_bytes()

    endpoint = WebhookEndpoint.objects.get(url="https://example.org/eigenwijs-webhooks")
    assert (tmp_path / "webhook-secret.txt").read_text().strip().startswith("whsec_")
    sent = set(
        WebhookDelivery.objects.filter(endpoint=endpoint).values_list("event__type", flat=True)
    )
    assert {"comment.created", "application.transitioned"} <= sent
    assert '"event_type":"comment.created"' in result.stdout
