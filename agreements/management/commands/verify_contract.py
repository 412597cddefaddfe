"""manage.py verify_contract FILE: does this PDF match a signed contract, byte for byte?"""

from pathlib import Path
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandError

from agreements.verification import verify_contract

NO_MATCH = "NO MATCH: this file is not a contract issued by Eigenwijs, or it was changed"


class Command(BaseCommand):
    help = "Check whether a PDF file is an unchanged contract issued by Eigenwijs."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the contract PDF to check")

    def handle(self, *args, file: Path, **options):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error.strerror}") from None
        agreement = verify_contract(data)
        if agreement is None:
            raise CommandError(NO_MATCH, returncode=1)
        signed = agreement.executed_at.astimezone(ZoneInfo("Europe/Amsterdam")).date()
        self.stdout.write(
            f"OK: matches agreement #{agreement.pk} ({agreement.application.title}), "
            f"signed {signed.isoformat()}"
        )
