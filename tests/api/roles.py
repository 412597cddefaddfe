"""The callers of the API's permission matrices, and the answers they share, defined once.

``ROLES`` names the clients of the ``api_world`` fixture (tests/api/conftest.py): the world's fund
has an officer, a manager, a read key and a write key; its network has a coordinator; outside
it stand an anonymous caller, another network's member and another fund's officer.

A matrix says who may do something; everything else follows from who can see the object:

    read_status(role)                    # 401 anonymous, 200 for READERS, 404 for the rest
    write_status(role, OFFICERS)         # 401 anonymous, 200 allowed, 403 seen, 404 unseen
    OFFICER_WRITE[role]                  # the same, for the fund's officers' writes
"""

from http import HTTPStatus

ROLES = (
    "anonymous",
    "other_member",
    "coordinator",
    "other_officer",
    "officer",
    "manager",
    "read_key",
    "write_key",
)

#: Outside the world's scope: the world's objects do not exist for them (404).
OUTSIDERS = frozenset({"other_member", "other_officer"})
COORDINATORS = frozenset({"coordinator"})
#: Who acts for the fund: its officers, and its write key, which acts as an officer.
OFFICERS = frozenset({"officer", "manager", "write_key"})
MANAGERS = frozenset({"manager"})
#: The fund's staff and keys: who sees the fund's own things (pools, webhooks, exports).
FUND = frozenset({"officer", "manager", "read_key", "write_key"})
#: Everyone who sees the world's application, network and agreement.
READERS = COORDINATORS | FUND


def read_status(role: str, readers: frozenset[str] = READERS) -> HTTPStatus:
    """A GET of one of the world's objects: 200 for whoever may see it, 404 for everyone else."""
    if role == "anonymous":
        return HTTPStatus.UNAUTHORIZED
    return HTTPStatus.OK if role in readers else HTTPStatus.NOT_FOUND


def write_status(
    role: str,
    allowed: frozenset[str],
    *,
    ok: HTTPStatus = HTTPStatus.OK,
    readers: frozenset[str] = READERS,
) -> HTTPStatus:
    """A write on one of the world's objects: ``ok`` for the allowed, 403 for whoever sees the
    object but may not do this, 404 for whoever does not see it."""
    if role == "anonymous":
        return HTTPStatus.UNAUTHORIZED
    if role in allowed:
        return ok
    return HTTPStatus.FORBIDDEN if role in readers else HTTPStatus.NOT_FOUND


#: What each caller gets for a fund officer's write on a visible object.
OFFICER_WRITE = {role: write_status(role, OFFICERS) for role in ROLES}
#: What each caller gets for a network coordinator's write on a visible object.
COORDINATOR_WRITE = {role: write_status(role, COORDINATORS) for role in ROLES}
