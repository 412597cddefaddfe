"""Query plans of the officer queue and the application list API, as they really run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/eigenwijs_bench \\
        .venv/bin/python bench/explain.py [--fund scale-fund-0001]

Requests the queue page (as an officer of the fund) and the list API (fund filter plus
``updated_since`` a year ago, a page of 50, with a fund key) through Django's test client,
captures every SQL statement they run, and prints ``EXPLAIN (ANALYZE, BUFFERS)`` of each
SELECT that touches the applications table, as Markdown. Everything it creates (a key, a
session) is rolled back.
"""

import argparse
import datetime
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import SERVER_ENV  # noqa: E402


class Rollback(Exception):
    pass


def explain(cursor, sql: str) -> str:
    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
    return "\n".join(row[0] for row in cursor.fetchall())


def capture(client, url: str, **headers) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT") and "applications_application" in q["sql"]
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fund", default="scale-fund-0001")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to the seeded PostgreSQL database.")
    os.environ.update({**SERVER_ENV, "ALLOWED_HOSTS": "testserver"})
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from applications.models import Application
    from funds.models import Fund, FundMembership
    from integrations.models import Scope
    from integrations.services import fund_key_create

    call_command("collectstatic", "--noinput", verbosity=0)  # the page's manifest storage
    fund = Fund.objects.get(slug=args.fund)
    since = (timezone.now() - datetime.timedelta(days=365)).isoformat().replace("+00:00", "Z")
    pages = []
    try:
        with transaction.atomic():
            officer = FundMembership.objects.filter(fund=fund, role="officer").first().user
            manager = FundMembership.objects.filter(fund=fund, role="manager").first().user
            _key, secret = fund_key_create(
                fund=fund, actor=manager, name="explain", scope=Scope.READ
            )
            client = Client()
            client.force_login(officer)
            pages.append(("Officer queue", reverse("queue"), capture(client, reverse("queue"))))
            url = f"/api/v1/applications/?fund={fund.slug}&updated_since={since}"
            api = Client()
            pages.append(
                (
                    "Application list API",
                    url,
                    capture(api, url, HTTP_AUTHORIZATION=f"Bearer {secret}"),
                )
            )
            with connection.cursor() as cursor:
                plans = [
                    (title, url, [(sql, explain(cursor, sql)) for sql in statements])
                    for title, url, statements in pages
                ]
            raise Rollback
    except Rollback:
        pass
    print(f"{Application.objects.count()} applications; fund `{fund.slug}`.\n")
    for title, url, statements in plans:
        print(f"### {title}: `{url}`\n")
        for sql, plan in statements:
            print("```sql\n" + sql + "\n```\n\n```\n" + plan + "\n```\n")


if __name__ == "__main__":
    main()
