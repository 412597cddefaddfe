from django.core.management.base import BaseCommand

from core.regions import sync


class Command(BaseCommand):
    help = "Add or rename the Dutch provinces from pycountry (ISO 3166-2:NL)."

    def handle(self, *args, **options):
        count = sync()
        self.stdout.write(f"{count} provinces are in the database.")
