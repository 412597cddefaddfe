"""Pools' part of a programme's dashboard: the support hours its applications used.

Registered for the ``programme_dashboard`` slot of ``applications.panels``; the dashboard shows
it only to the programme's fund staff, who see these allocations anyway (``allocation_list``).
"""

from applications.panels import Panel
from pools.programme_support import programme_support


def programme_dashboard_panel(request, programme, **context) -> Panel:
    return Panel(
        "pools/_programme_support.html",
        {"programme": programme, "support": programme_support(programme)},
    )
