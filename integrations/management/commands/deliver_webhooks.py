"""Keep webhook delivery going: the sweep for a cron job, sending without a worker, pruning.

    python manage.py deliver_webhooks --sweep         # every few minutes, beside the worker
    python manage.py deliver_webhooks --now           # send what is due here, without a worker
    python manage.py deliver_webhooks --prune 90      # forget settled events older than 90 days

The worker itself is django-tasks': ``python manage.py db_worker --queue-name webhooks``.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from core.models import Event
from integrations.models import WebhookDelivery
from integrations.webhooks.delivery import run_due
from integrations.webhooks.fanout import sweep


class Command(BaseCommand):
    help = (
        "Fan out events a crash left behind and queue overdue deliveries (--sweep), send due "
        "deliveries in this process (--now), or delete old settled events (--prune DAYS)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--sweep", action="store_true", help="Queue what was missed.")
        parser.add_argument("--now", action="store_true", help="Send due deliveries here.")
        parser.add_argument("--prune", type=int, metavar="DAYS", help="Delete settled events.")

    def handle(self, *args, **options):
        if not (options["sweep"] or options["now"] or options["prune"] is not None):
            raise CommandError("Give --sweep, --now or --prune DAYS.")
        if options["sweep"]:
            counts = sweep()
            self.stdout.write(
                f"Fanned out {counts['events']} events, queued {counts['deliveries']} deliveries."
            )
        if options["now"]:
            counts = run_due()
            summary = ", ".join(f"{state}: {n}" for state, n in sorted(counts.items()))
            self.stdout.write(f"Sent due deliveries. {summary or 'Nothing was due.'}")
        if options["prune"] is not None:
            if options["prune"] < 1:
                raise CommandError("--prune needs at least 1 day.")
            cutoff = timezone.now() - datetime.timedelta(days=options["prune"])
            still_open = Q(
                deliveries__state__in=(WebhookDelivery.State.PENDING, WebhookDelivery.State.FAILED)
            )
            old = Event.objects.filter(created_at__lt=cutoff, fanned_out_at__isnull=False)
            deleted, _ = Event.objects.filter(pk__in=old.exclude(still_open).values("pk")).delete()
            self.stdout.write(f"Deleted {deleted} rows of settled events older than the cutoff.")
