"""Seed a large, realistic data set fast, for benchmarks: see ``bench.benchdata.scale_seed``.

    DJANGO_SETTINGS_MODULE=config.settings.bench manage.py seed_scale --applications 100000

Only seeds an empty database (no applications yet).
"""

import time

from django.core.management.base import BaseCommand, CommandError

from bench.benchdata import scale_seed, scale_write


def positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Seed N applications over many funds and networks with bulk inserts, for benchmarks. "
        f"Fund {scale_seed.BIG_FUND_SLUG} gets {scale_seed.BIG_FUND_SHARE:.0%} of them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--applications", type=positive, required=True)
        parser.add_argument("--funds", type=positive, default=200)
        parser.add_argument("--networks", type=positive, default=20_000)
        parser.add_argument(
            "--seed", type=int, default=1, help="The same seed and sizes give the same data."
        )
        parser.add_argument(
            "--batch-size", type=positive, default=2000, help="Applications per transaction."
        )

    def handle(self, *args, **options):
        if reason := scale_write.refusal():
            raise CommandError(reason)
        started = time.monotonic()
        tty = self.stderr.isatty()
        self.stderr.write(f"Funds, networks and their people first ({options['networks']:,})…")

        def progress(done: int, total: int, rows: int) -> None:
            elapsed = time.monotonic() - started
            line = (
                f"{done:>9,}/{total:,} applications  {done / elapsed:>7,.0f}/s  "
                f"{rows:>11,} rows  {rows / elapsed:>8,.0f} rows/s  {elapsed:6.1f} s"
            )
            # Redraw one line on a terminal; one line per batch in a log.
            self.stderr.write(("\r" + line) if tty else line, ending="" if tty else "\n")

        rows = scale_write.seed(
            applications=options["applications"],
            funds=options["funds"],
            networks=options["networks"],
            seed=options["seed"],
            batch_size=options["batch_size"],
            progress=progress,
        )
        if tty:
            self.stderr.write("")
        elapsed, count = time.monotonic() - started, options["applications"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {count:,} applications in {elapsed:.1f} s ({count / elapsed:,.0f}/s); "
                f"with their steps, revisions, submissions, comments, referrals and log entries "
                f"{rows:,} rows ({rows / elapsed:,.0f}/s)."
            )
        )
