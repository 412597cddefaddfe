"""The pools a fund's staff see: the list, one pool's utilisation, and the same figures as CSV."""

import csv
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from pools import selectors
from pools.selectors import pool_allocations, pool_utilisation

from .common import get_pool

CSV_COLUMNS = (
    "section",
    "name",
    "capacity_hours",
    "reserved_hours",
    "confirmed_hours",
    "delivered_hours",
    "remaining_hours",
    "contributed_hours",
    "contributed_euros",
    "delivered_value_eur",
    "delivered_hours_without_rate",
)
#: A spreadsheet runs a cell that starts with these as a formula; names are typed by networks.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@login_required
def pool_list(request):
    pools = list(selectors.pool_list(request.user).order_by("-starts_on", "name"))
    today = timezone.localdate()
    return render(
        request,
        "pools/pool_list.html",
        {"pools": [{"pool": pool, "is_open": pool.is_open(today)} for pool in pools]},
    )


def _utilisation(pool):
    """The pool's utilisation; its total also carries what the funds contributed together."""
    utilisation = pool_utilisation(pool)
    total = utilisation.total
    total.contributed_hours = sum((f.contributed_hours for f in utilisation.funds), Decimal(0))
    total.contributed_euros = sum((f.contributed_euros for f in utilisation.funds), Decimal(0))
    return utilisation


@login_required
def pool_detail(request, slug):
    pool = get_pool(request, slug)
    return render(
        request,
        "pools/pool_detail.html",
        {
            "pool": pool,
            "is_open": pool.is_open(),
            "utilisation": _utilisation(pool),
            "allocations": pool_allocations(pool),
        },
    )


def _plain(value) -> str:
    """Hours and euros for a spreadsheet: a dot for decimals, no grouping, empty for none."""
    return "" if value is None else f"{Decimal(value):.2f}"


def _text(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def _csv_row(section: str, line, name: str | None = None) -> list[str]:
    usage = line.usage
    return [
        section,
        _text(name if name is not None else line.label),
        _plain(line.capacity),
        _plain(usage.reserved),
        _plain(usage.confirmed),
        _plain(usage.delivered),
        _plain(line.remaining),
        _plain(line.contributed_hours),
        _plain(line.contributed_euros),
        _plain(usage.delivered_value),
        _plain(usage.delivered_unpriced),
    ]


@login_required
def pool_utilisation_csv(request, slug):
    pool = get_pool(request, slug)
    utilisation = _utilisation(pool)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{pool.slug}-utilisation.csv"'
    writer = csv.writer(response, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(_csv_row("service", line) for line in utilisation.services)
    writer.writerows(_csv_row("fund", line) for line in utilisation.funds)
    writer.writerows(_csv_row("network", line) for line in utilisation.networks)
    writer.writerow(_csv_row("total", utilisation.total, name=_("Total")))
    return response
