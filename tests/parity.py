"""One answer to "what may this person do now", asked in four places that must agree.

For an object of any state machine, and any caller: the buttons on its web page (elements with
``data-action``), the API's transitions list, the registry's ``available()`` (``core.actions``)
and, for people, django-fsm's ``get_available_user_state_transitions``. Whoever cannot see the
object gets a 404 on the page and in the API, and is offered nothing.

The parity tests of every app (``tests/web/test_*_parity.py``) use these.
"""

from dataclasses import dataclass
from html.parser import HTMLParser
from http import HTTPStatus

from django.test import Client
from rest_framework.test import APIClient

from integrations.models import Scope
from integrations.services import fund_key_create, personal_token_create


class DataActions(HTMLParser):
    """Every element with ``data-action``: (name, the tranche it is about or None)."""

    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "data-action" in attributes:
            self.found.append((attributes["data-action"], attributes.get("data-tranche")))


@dataclass
class Caller:
    """A person (signed in on the web, with a personal token for the API) or a fund's key."""

    user: object
    api: APIClient
    web: Client | None = None
    credential: object = None


def bearer(secret: str) -> APIClient:
    client = APIClient(HTTP_HOST="127.0.0.1")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def person(user) -> Caller:
    web = Client()
    web.force_login(user)
    _token, secret = personal_token_create(actor=user, name="parity")
    return Caller(user, api=bearer(secret), web=web)


def fund_keys(fund, *, actor) -> dict[str, Caller]:
    """A read key and a read-write key of ``fund``, made by ``actor`` (a manager)."""
    callers = {}
    for name, scope in (("read_key", Scope.READ), ("write_key", Scope.READ_WRITE)):
        key, secret = fund_key_create(fund=fund, actor=actor, name=name, scope=scope)
        callers[name] = Caller(key.user, api=bearer(secret), credential=key)
    return callers


def web_actions(caller: Caller, url: str) -> list[tuple[str, str | None]] | None:
    response = caller.web.get(url)
    if response.status_code == HTTPStatus.NOT_FOUND:
        return None
    assert response.status_code == HTTPStatus.OK, (url, response.status_code)
    parser = DataActions()
    parser.feed(response.content.decode())
    return parser.found


def api_actions(caller: Caller, url: str) -> set[str] | None:
    response = caller.api.get(url)
    if response.status_code == HTTPStatus.NOT_FOUND:
        return None
    assert response.status_code == HTTPStatus.OK, (url, response.content)
    return {row["name"] for row in response.json()}


def fsm_actions(obj, user, registry) -> set[str]:
    """What django-fsm lets this person do, among the actions the registry knows."""
    return {t.name for t in obj.get_available_user_state_transitions(user)} & set(registry.actions)


def transition_names(obj) -> set[str]:
    """The registry's actions that are django-fsm transitions (logging hours is an action, not
    a transition of the allocation)."""
    return {t.name for t in obj.get_all_state_transitions()}


def check(
    obj, registry, callers, *, page: str, api: str, on_page=None, own_page=True
) -> dict[str, set[str]]:
    """Assert the four answers agree for every caller; return what each may do.

    ``on_page`` picks this object's actions from the page's (name, tranche) pairs; by default
    all of them. ``own_page``: the page is the object's own, so it is a 404 exactly when the
    API's is (a tranche is shown on its agreement's page, which some see without its tranches).
    """
    on_page = on_page or (lambda found: {name for name, _subject in found})
    offered = {}
    for role, caller in callers.items():
        obj = type(obj).objects.get(pk=obj.pk)
        expected = {
            o.name for o in registry.available(obj, caller.user, credential=caller.credential)
        }
        from_api = api_actions(caller, api)
        where = (role, type(obj).__name__, obj.state)
        if caller.web is not None:
            found = web_actions(caller, page)
            if found is None or own_page:
                assert (found is None) == (from_api is None), where  # 404 on both, or neither
            if found is not None:
                assert on_page(found) == expected, where
        if from_api is None:
            assert expected == set(), where
        else:
            assert from_api == expected, where
        if caller.credential is None:
            assert fsm_actions(obj, caller.user, registry) == expected & transition_names(obj), (
                where
            )
        offered[role] = expected
    return offered


def who(offered: dict[str, set[str]], name: str) -> set[str]:
    """The callers offered ``name``."""
    return {role for role, names in offered.items() if name in names}
