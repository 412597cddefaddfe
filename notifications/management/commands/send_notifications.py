"""``python manage.py send_notifications``: send every pending message that is due now.

The worker sends each message after its commit; this sweep is for what a crash or an
unreachable mail server left, and for installations that run no worker (cron, every minute).
"""

from django.core.management.base import BaseCommand

from notifications.mailer import send_due


class Command(BaseCommand):
    help = "Send every pending notification whose (next) attempt is due."

    def handle(self, *args, **options):
        counts = send_due()
        summary = ", ".join(f"{state}: {n}" for state, n in sorted(counts.items())) or "nothing due"
        self.stdout.write(summary)
