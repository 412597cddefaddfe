"""The work queue's tabs: what waits for a fund's staff, from applications and the apps above.

Each tab says which items it holds for a person (``items``: a queryset, narrowed to the
programmes the page shows), how they sort, and how a page of them is shown (``rows``). The
queue counts every tab in one query (the tabs' querysets, counted and joined with UNION ALL) and
loads a page of one tab in two (the ids of the page, then its rows), whatever the number of
items: a tab must keep ``rows`` to one query for any number of ids.

Every app registers its tabs from its ``AppConfig.ready()``: applications its own
(``applications.queue``), agreements its reports and tranches (``agreements.queue``), so
applications never names the apps above it. Tabs show in the order of ``position``, then of
registration.
"""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import CharField, Count, F, QuerySet, Value
from django.db.models.expressions import BaseExpression

#: The sort orders a tab offers, by name; "-name" reverses one.
SORTS = ("date", "title")


@dataclass(frozen=True)
class Scope:
    """What the queue shows one person now: their programmes (only the chosen one, when the
    page is filtered), and today's date."""

    user: Any
    programmes: Sequence  # ``funds.Programme`` rows, loaded once per page
    today: datetime.date

    @property
    def programme_ids(self) -> list[int]:
        return [programme.pk for programme in self.programmes]


@dataclass(frozen=True)
class Row:
    """One line of a tab, whatever it lists."""

    title: str
    url: str
    network: str
    programme: str
    what: str = ""
    #: Waiting since (a moment) or due on (a day): what the tab's ``date_label`` says.
    date: datetime.datetime | datetime.date | None = None
    amount: Decimal | None = None
    #: The language the network works in, for the officer who writes to it.
    language: str = ""


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    #: The heading of the date column: "Waiting since", "Due since", "Due on".
    date_label: str
    #: ``items(scope) -> QuerySet``: everything in the tab for this person.
    items: Callable[[Scope], QuerySet]
    #: Sort name ("date", "title") -> what it orders ``items`` by: a field name, an
    #: expression, or ``f(scope) -> expression`` when it depends on the day.
    sorts: dict[str, str | BaseExpression | Callable[[Scope], BaseExpression]]
    #: ``rows(scope, ids) -> [Row]``: a page's rows, in the order of ``ids``, in one query.
    rows: Callable[[Scope, list[int]], list[Row]]
    #: What the page says when the tab is empty.
    empty: str = ""
    position: int = 100
    #: Whether the date column also shows how many days ago it was.
    show_age: bool = True


_tabs: dict[str, Tab] = {}


def register_tab(key: str, **options) -> Tab:
    """Add a tab to the work queue (again under a key: replaced, as ``ready()`` may run twice)."""
    if key == "all" or not key.isidentifier():
        raise ValueError(f"{key!r} cannot name a work queue tab.")
    missing = [name for name in SORTS if name not in options.get("sorts", {})]
    if missing:
        raise ValueError(f"Tab {key!r} must say how it sorts by {', '.join(missing)}.")
    tab = Tab(key=key, **options)
    _tabs[key] = tab
    return tab


def tabs() -> list[Tab]:
    ordered = sorted(enumerate(_tabs.values()), key=lambda pair: (pair[1].position, pair[0]))
    return [tab for _index, tab in ordered]


def get_tab(key: str) -> Tab | None:
    return _tabs.get(key)


def counts(scope: Scope) -> dict[str, int]:
    """How many items each tab holds: one query for all of them."""
    found = {tab.key: 0 for tab in tabs()}
    if not found or not scope.programmes:
        return found
    parts = [
        tab.items(scope)
        .order_by()
        .annotate(queue_tab=Value(tab.key, output_field=CharField()))
        .values("queue_tab")
        .annotate(total=Count("pk"))
        .values_list("queue_tab", "total")
        for tab in tabs()
    ]
    combined = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    found.update(dict(combined))
    return found


def ordered_ids(tab: Tab, scope: Scope, sort: str) -> QuerySet:
    """The ids of the tab's items in the chosen order (the primary key breaks ties)."""
    descending = sort.startswith("-")
    expression = tab.sorts[sort.lstrip("-")]
    if isinstance(expression, str):
        expression = F(expression)
    elif callable(expression) and not isinstance(expression, BaseExpression):
        expression = expression(scope)
    order = expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
    return (
        tab.items(scope).order_by(order, "-pk" if descending else "pk").values_list("pk", flat=True)
    )
