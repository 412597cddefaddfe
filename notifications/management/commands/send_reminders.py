"""Every morning from cron: ``python manage.py send_reminders`` (see the README).

Sends the reminders every app registered, the daily e-mails and anything still pending. Running
it twice sends nothing twice. ``--schedule`` instead starts the worker's daily chain.
"""

from django.core.management.base import BaseCommand

from notifications.tasks import run_daily, schedule_next_run


class Command(BaseCommand):
    help = "Send due reminders and daily e-mails, and retry messages that are still pending."

    def add_arguments(self, parser):
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Enqueue the daily run on the mail worker instead (it then re-enqueues itself).",
        )

    def handle(self, *args, schedule=False, **options):
        if schedule:
            when = schedule_next_run()
            self.stdout.write(
                f"Daily run scheduled for {when.isoformat()}." if when else "Already scheduled."
            )
            return
        result = run_daily()
        reminders = sum(result["reminders"].values())
        sent = sum(result["sent"].values())
        self.stdout.write(
            f"Reminders written: {reminders}; daily e-mails: {result['digests']}; "
            f"pending messages handled: {sent}."
        )
