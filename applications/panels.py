"""Places on the applications' pages where a higher app shows its part.

Pools (and any app built on applications) register a provider for a slot in their
``AppConfig.ready()``; the page asks :func:`collect` and renders what comes back. So
applications never imports the apps that build on it, and a page still shows their panels.

A provider is ``provider(request, obj, **context) -> Panel | None``; ``None`` shows nothing.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

#: The slots pages offer: where each shows, and what ``obj`` is.
SLOTS = {
    "dashboard": "the signed-in person's dashboard (obj: the user)",
    "network_detail": "a network's page, below its members (obj: the network)",
    "application_detail": "an application's page, below its steps (obj: the application)",
    "step_detail": "a step's page, below its answers (obj: the step)",
    "programme_dashboard": "a programme's dashboard, for its fund's staff only (obj: the programme)",
}

_providers: dict[str, list[Callable]] = defaultdict(list)


@dataclass
class Panel:
    template: str
    context: dict = field(default_factory=dict)


def register(slot: str, provider: Callable) -> None:
    if slot not in SLOTS:
        raise ValueError(f"No panel slot {slot!r}; the slots are {sorted(SLOTS)}.")
    if provider not in _providers[slot]:
        _providers[slot].append(provider)


def panels(slot: str, request, obj, **context) -> list[Panel]:
    """The panels the registered providers give for this page, in registration order."""
    found = (provider(request, obj, **context) for provider in _providers[slot])
    return [panel for panel in found if panel is not None]


def collect(slot: str, request, obj, **context) -> list[SafeString]:
    """The panels rendered to HTML, for a template to print in order."""
    return [
        render_to_string(panel.template, panel.context, request=request)
        for panel in panels(slot, request, obj, **context)
    ]
