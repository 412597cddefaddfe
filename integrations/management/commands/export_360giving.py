"""Write a fund's awarded grants as a 360Giving data package.

    python manage.py export_360giving buurtfonds-oost                      # to standard output
    python manage.py export_360giving buurtfonds-oost --output grants.json --validate

``--validate`` checks the package against the 360Giving JSON schema (1.4.3, shipped in
integrations/exports/schemas) before anything is written, and fails with the problems found.
The same package is served at ``GET /api/v1/exports/360giving.json``.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from funds.models import Fund
from integrations.exports import threesixty


class Command(BaseCommand):
    help = "Export a fund's awarded grants as a 360Giving data package (JSON)."

    def add_arguments(self, parser):
        parser.add_argument("fund", help="The fund's slug, e.g. buurtfonds-oost.")
        parser.add_argument("--output", "-o", help="Write to this file instead of the screen.")
        parser.add_argument(
            "--validate",
            action="store_true",
            help="Check the package against the 360Giving schema first; write nothing if invalid.",
        )

    def handle(self, *args, **options):
        try:
            fund = Fund.objects.get(slug=options["fund"])
        except Fund.DoesNotExist as error:
            raise CommandError(f"There is no fund with the slug {options['fund']!r}.") from error
        if options["validate"]:
            package = threesixty.build_package(fund)
            errors = threesixty.validation_errors(package)
            if errors:
                raise CommandError(
                    "The package does not validate against the 360Giving schema:\n  "
                    + "\n  ".join(errors)
                )
            chunks = [json.dumps(package, ensure_ascii=False, indent=2), "\n"]
        else:
            chunks = threesixty.stream_package(fund)
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8") as out:
                out.writelines(chunks)
            self.stderr.write(f"Wrote {options['output']}.")
        else:
            for chunk in chunks:
                self.stdout.write(chunk, ending="")
