"""The person responsible for what an account does.

Most accounts are people. Some act for a person: a fund's API key acts through an account of
its own (``integrations``), and the person responsible for what it does is the manager who
created it. Core sits below every app and cannot know keys, so the app that makes such accounts
says how to find their person, from its ``AppConfig.ready()``::

    people.register("fund_api_keys", resolve)  # resolve({account ids}) -> {account id: person id}

Separation of duties (four eyes on money: payer, awarder and preparer are three people)
compares the people, never the accounts: otherwise a key would be a second pair of eyes that
belongs to the first.

The records themselves (the transition log's ``by``, ``prepared_by``, ``paid_by``) keep the
account that acted, and that is what keeps the log truthful: a back office did it, through this
key, and the manager did not click anything at that moment. The key's account belongs to one
key only, and a key's creator is set once and never changes, so each entry names the key and,
through it, the person, for good. Writing the person into ``by`` would lose which key acted and
claim an act nobody did; a note in the description would mix with what people typed there.
"""

from collections.abc import Callable, Iterable

from django.contrib.auth import get_user_model

#: ``resolve(account ids) -> {account id: person id, or None when the person is unknown}``, for
#: those of the accounts that act for someone; every other account is its own person.
Resolver = Callable[[set[int]], dict[int, int | None]]

_resolvers: dict[str, Resolver] = {}


def register(name: str, resolver: Resolver) -> None:
    """Say how to find the person behind accounts of one kind (again under a name: replaced)."""
    _resolvers[name] = resolver


def _account_id(account) -> int | None:
    return getattr(account, "pk", account)


def person_ids(accounts: Iterable) -> list[int | None]:
    """The id of the person responsible for each account (a user, a user id or ``None``).

    One query per registered kind of account for all of them together, whatever their number.
    ``None`` for ``None`` and for an account whose person is no longer known.
    """
    ids = [_account_id(account) for account in accounts]
    known = {pk for pk in ids if pk is not None}
    acting_for: dict[int, int | None] = {}
    for resolve in _resolvers.values():
        if known:
            acting_for.update(resolve(known))
    return [None if pk is None else acting_for.get(pk, pk) for pk in ids]


def person_id(account) -> int | None:
    """The id of the person responsible for what ``account`` does (``person_ids`` for one)."""
    return person_ids([account])[0]


def responsible_person(user):
    """The person responsible for what ``user`` does: the user, or the one a key acts for.

    ``None`` for nobody (``None``, an anonymous visitor) and for a key whose creator's account
    is gone.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    pk = person_id(user)
    if pk == user.pk:
        return user
    return None if pk is None else get_user_model().objects.filter(pk=pk).first()


def same_person(first, second) -> bool:
    """Whether two accounts answer to one person (an unknown person is nobody's equal)."""
    a, b = person_ids([first, second])
    return a is not None and a == b
