"""A fund's applications and tranches as CSV, for spreadsheets.

The format, chosen so both Excel and scripts read it without settings:

- UTF-8 with a byte-order mark, so Excel shows "Café" and "€" correctly when the file is opened
  with a double click (scripts: read it as ``utf-8-sig``).
- Comma-separated with a header row of fixed English column names, which scripts can rely on.
- Amounts with a decimal point and two decimals (``1234.50``), no thousands separator or
  currency sign; dates and times in ISO 8601; states as their codes (``awarded``).
- A text that starts like a formula (``=``, ``+``, ``-``, ``@``) gets a leading apostrophe, so a
  title a network typed can never run as a formula in the spreadsheet (CSV injection).

Rows are read in chunks and written as they come, so memory stays flat for any fund.
"""

import csv
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.utils import timezone

from agreements.models import Agreement, Tranche
from applications.models import Application
from applications.selectors import shown_to_fund
from funds.models import Fund, Programme

BOM = "\ufeff"
CHUNK_SIZE = 1000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

APPLICATION_COLUMNS = [
    "id",
    "title",
    "programme",
    "network",
    "network_kvk_number",
    "state",
    "requested_amount",
    "awarded_amount",
    "currency",
    "created_at",
    "updated_at",
    "decided_at",
]

TRANCHE_COLUMNS = [
    "id",
    "agreement_id",
    "agreement_state",
    "application_id",
    "application_title",
    "network",
    "arrangement",
    "number",
    "amount",
    "currency",
    "becomes_due",
    "state",
    "due_at",
    "paid_on",
    "payment_reference",
    "payee_name",
    "iban",
]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def application_rows(fund: Fund, *, programme: Programme | None = None) -> Iterator[list]:
    """The fund's applications; only those to ``programme`` when given (the dashboard's download)."""
    applications = Application.objects.filter(shown_to_fund(), programme__fund=fund)
    if programme is not None:
        applications = applications.filter(programme=programme)
    applications = applications.select_related("programme", "network").order_by("pk")
    for a in applications.iterator(chunk_size=CHUNK_SIZE):
        yield [
            a.pk,
            a.title,
            a.programme.slug,
            a.network.name,
            a.network.kvk_number,
            a.state,
            a.requested_amount,
            a.awarded_amount,
            a.programme.currency,
            a.created_at,
            a.updated_at,
            a.decided_at,
        ]


def tranche_rows(fund: Fund, *, programme: Programme | None = None, visible=None) -> Iterator[list]:
    """Tranches of the fund's agreements (of ``programme``'s only, when given; of ``visible``, a
    selector's queryset, only, when given); those of cancelled agreements are never paid: left
    out."""
    tranches = Tranche.objects.filter(agreement__application__programme__fund=fund)
    if programme is not None:
        tranches = tranches.filter(agreement__application__programme=programme)
    if visible is not None:
        tranches = tranches.filter(pk__in=visible.values("pk"))
    tranches = (
        tranches.exclude(agreement__state=Agreement.State.CANCELLED)
        .select_related("agreement__application__programme", "agreement__application__network")
        .order_by("agreement_id", "number")
    )
    for t in tranches.iterator(chunk_size=CHUNK_SIZE):
        agreement = t.agreement
        application = agreement.application
        yield [
            t.pk,
            agreement.pk,
            agreement.state,
            application.pk,
            application.title,
            application.network.name,
            agreement.arrangement,
            t.number,
            t.amount,
            application.programme.currency,
            t.trigger,
            t.state,
            t.due_at,
            t.paid_on,
            t.payment_reference,
            agreement.payee_name,
            agreement.iban,
        ]


class _Line:
    """A file-like object that hands back what csv.writer writes, one line at a time."""

    def write(self, value: str) -> str:
        return value


def stream_csv(columns: list[str], rows: Iterable[list]) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield BOM + writer.writerow(columns)
    for row in rows:
        yield writer.writerow([_cell(value) for value in row])
