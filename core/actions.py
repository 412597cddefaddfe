"""One registry of actions per state machine: what a person may do now, and the only way to do it.

Each app that has a state machine declares its actions once (``<app>/actions.py``) as a
:class:`Registry` of :class:`Action`. Every caller asks the same two questions of it:

- ``offered(obj, user, credential=...)``: every action, each with the reason it is not available
  now (``None`` when it is). Screens render buttons from it, the API lists it, the admin shows it.
- ``run(name, obj, actor=..., data=..., credential=...)``: perform it through the app's service.

An action's refusal is split in two, because callers answer them differently:

- ``who(obj, user)``: the person may never take this action here (wrong role, conflict of
  interest, four eyes). A screen hides the button and answers 403; the API answers 403.
- ``when(obj)``: nobody may take it now (wrong state, the step misses answers). The API answers
  409; a screen says so and shows the latest.

``offered`` is for showing; the service still re-checks both under its row lock, so a stale
screen can never do what the rules forbid.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from core.exceptions import InvalidTransition

Refusal = Callable[..., str | None]

READ_ONLY = _("This key or token may only read: it cannot change anything.")


def _nobody_refused(*args) -> None:
    return None


@dataclass(frozen=True)
class Action:
    """One thing a person can do to an object of one kind."""

    name: str
    label: Any  # lazy text, shown on buttons and in the API's transitions list
    #: ``perform(obj, *, actor, **data)``: calls the service that locks, checks, runs and logs.
    perform: Callable[..., Any]
    who: Refusal = _nobody_refused
    when: Refusal = _nobody_refused
    #: The input it takes, and which of it is required, as the API documents it.
    fields: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    #: What a screen says after it is done.
    done: Any = ""


@dataclass(frozen=True)
class Offer:
    """An action as one person sees it now: available, or not, and why not."""

    name: str
    label: Any
    fields: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    refusal: str | None = None
    #: True when the refusal is about the moment (the state), not about the person.
    conflict: bool = False

    @property
    def available(self) -> bool:
        return self.refusal is None


def credential_refusal(credential) -> str | None:
    """A read-only API key or token narrows what its user may do to nothing that writes."""
    if credential is not None and getattr(credential, "read_only", False):
        return str(READ_ONLY)
    return None


class Registry:
    """The actions of one state machine, in the order screens show them."""

    def __init__(self, actions: Iterable[Action]):
        self.actions = {action.name: action for action in actions}

    def __contains__(self, name: object) -> bool:
        return name in self.actions

    def __iter__(self):
        return iter(self.actions.values())

    def get(self, name: str) -> Action:
        try:
            return self.actions[name]
        except KeyError:
            raise ValidationError(
                {"name": [_("There is no action “%(name)s”.") % {"name": name}]}
            ) from None

    def labels(self) -> dict[str, Any]:
        return {name: action.label for name, action in self.actions.items()}

    def offer(self, action: Action, obj, user, *, credential=None) -> Offer:
        refusal = credential_refusal(credential) or action.who(obj, user)
        conflict = False
        if refusal is None:
            refusal = action.when(obj)
            conflict = refusal is not None
        return Offer(
            name=action.name,
            label=action.label,
            fields=action.fields,
            required=action.required,
            refusal=None if refusal is None else str(refusal),
            conflict=conflict,
        )

    def offered(self, obj, user, *, credential=None) -> list[Offer]:
        """Every action, each with why this person may not take it now (or ``None``)."""
        return [self.offer(action, obj, user, credential=credential) for action in self]

    def available(self, obj, user, *, credential=None) -> list[Offer]:
        """Only the actions this person may take now: the buttons, the API's list."""
        return [
            offer for offer in self.offered(obj, user, credential=credential) if offer.available
        ]

    def require_allowed(self, name: str, obj, user, *, credential=None) -> Action:
        """Refuse a person (403) before reading their input; the moment is the service's."""
        action = self.get(name)
        refusal = credential_refusal(credential) or action.who(obj, user)
        if refusal is not None:
            raise PermissionDenied(refusal)
        return action

    def require_available(self, name: str, obj, user, *, credential=None) -> Action:
        """As ``require_allowed``, and also refuse (409) what is not possible in this state."""
        action = self.require_allowed(name, obj, user, credential=credential)
        refusal = action.when(obj)
        if refusal is not None:
            raise InvalidTransition(str(refusal))
        return action

    def run(self, name: str, obj, *, actor, data: dict | None = None, credential=None):
        """Perform one action through its service: the only way in for every caller."""
        action = self.require_allowed(name, obj, actor, credential=credential)
        return action.perform(obj, actor=actor, **(data or {}))
