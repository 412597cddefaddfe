from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from agreements.models import Agreement
from agreements.pdf import render_contract_pdf, sha256_hex
from agreements.verification import verify_contract
from tests.agreements.test_pdf import build_agreement

pytestmark = pytest.mark.django_db


@pytest.fixture
def executed(world):
    """An agreement signed by everyone, with its contract PDF rendered and fingerprinted."""
    agreement = build_agreement(world)
    pdf = render_contract_pdf(agreement)
    agreement.contract_sha256 = sha256_hex(pdf)
    agreement.execute()
    agreement.save()
    return agreement, pdf


def test_the_contract_bytes_find_the_executed_agreement(executed):
    agreement, pdf = executed
    assert verify_contract(pdf) == agreement


def test_one_changed_byte_finds_nothing(executed):
    _agreement, pdf = executed
    changed = bytearray(pdf)
    changed[len(changed) // 2] ^= 0x01
    assert verify_contract(bytes(changed)) is None
    assert verify_contract(pdf + b"\n") is None


def test_a_contract_that_is_not_executed_is_not_found(world):
    agreement = build_agreement(world)
    pdf = render_contract_pdf(agreement)
    Agreement.objects.filter(pk=agreement.pk).update(contract_sha256=sha256_hex(pdf))
    assert verify_contract(pdf) is None


def test_command_says_ok_for_the_contract(executed, tmp_path, capsys):
    agreement, pdf = executed
    path = tmp_path / "contract.pdf"
    path.write_bytes(pdf)
    call_command("verify_contract", str(path))
    signed = agreement.executed_at.astimezone(ZoneInfo("Europe/Amsterdam")).date()
    assert capsys.readouterr().out.strip() == (
        f"OK: matches agreement #{agreement.pk} (Garden), signed {signed.isoformat()}"
    )


def test_command_says_no_match_and_exits_1_for_a_changed_file(executed, tmp_path):
    _agreement, pdf = executed
    path = tmp_path / "contract.pdf"
    path.write_bytes(pdf[:-1] + b"X")
    with pytest.raises(CommandError) as error:
        call_command("verify_contract", str(path))
    assert error.value.returncode == 1
    assert str(error.value) == (
        "NO MATCH: this file is not a contract issued by Eigenwijs, or it was changed"
    )


def test_command_line_exit_codes(executed, tmp_path):
    """Exit status 0 on a match, 1 on no match (CommandError.returncode is what manage.py exits
    with; run_from_argv itself would close the test's database connection)."""
    _agreement, pdf = executed
    good, bad = tmp_path / "good.pdf", tmp_path / "bad.pdf"
    good.write_bytes(pdf)
    bad.write_bytes(pdf + b"%")
    out = StringIO()
    call_command("verify_contract", str(good), stdout=out)
    assert out.getvalue().startswith("OK")
    with pytest.raises(CommandError) as refused:
        call_command("verify_contract", str(bad), stdout=StringIO())
    assert refused.value.returncode == 1
