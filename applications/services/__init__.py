"""Every write to networks and applications goes through these functions.

Web views, the admin, the API and management commands all call them; none touches ``state``.
"""

from .drafting import comment_create, comment_resolve, step_save_answers
from .invitations import (
    network_invite_member,
    network_set_role,
    sign_in_link,
    sign_in_link_send,
)
from .networks import network_add_member, network_create
from .review import (
    application_accept_step,
    application_award,
    application_decline,
    application_request_changes,
    application_submit_step,
    application_withdraw,
)
from .starting import application_create

__all__ = [
    "application_accept_step",
    "application_award",
    "application_create",
    "application_decline",
    "application_request_changes",
    "application_submit_step",
    "application_withdraw",
    "comment_create",
    "comment_resolve",
    "network_add_member",
    "network_create",
    "network_invite_member",
    "network_set_role",
    "sign_in_link",
    "sign_in_link_send",
    "step_save_answers",
]
