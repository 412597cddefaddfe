"""Erase personal data kept long enough (see docs/privacy.md); idempotent, for cron:

python manage.py apply_retention              # run it now, e.g. daily from cron
python manage.py apply_retention --schedule   # or start the nightly run on the task worker
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from privacy.retention import apply_retention
from privacy.tasks import schedule_next_run


class Command(BaseCommand):
    help = (
        "Erase signatories' birth dates, addresses, IP addresses and browsers, unused accounts "
        "and closed invitations after their retention periods. Safe to run more than once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Do not run now: queue the nightly run on the task worker (once is enough).",
        )

    def handle(self, *args, **options):
        if options["schedule"]:
            when = schedule_next_run()
            if when is None:
                self.stdout.write("Nothing queued: a run is already waiting, or the task backend")
                self.stdout.write("cannot run tasks later (use cron with apply_retention instead).")
            else:
                self.stdout.write(f"The retention job runs at {when.isoformat()} and every night.")
            return
        result = apply_retention(now=timezone.now())
        self.stdout.write(
            ", ".join(
                f"{name.replace('_', ' ')}: {count}" for name, count in result.as_dict().items()
            )
        )
