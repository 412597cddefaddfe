"""Every write to networks and applications goes through these functions.

Web views, the admin, the API and management commands all call them; none touches ``state``.
"""

from .accounts import (
    sign_in_link,
    sign_in_link_check,
    sign_in_link_for_email,
    sign_in_link_send,
    sign_in_link_use,
)
from .drafting import comment_create, comment_resolve, step_save_answers
from .helpers import helper_accept, helper_decline, helper_invite, helper_remove, helper_resend
from .invitations import (
    network_invitation_accept,
    network_invitation_decline,
    network_invitation_resend,
    network_invitation_revoke,
    network_invite_member,
)
from .lead_officer import application_assign_lead_officer
from .networks import (
    network_create,
    network_member_leave,
    network_member_remove,
    network_set_role,
    network_update,
)
from .referral_start import application_start_from_referral
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
    "application_assign_lead_officer",
    "application_award",
    "application_create",
    "application_decline",
    "application_request_changes",
    "application_start_from_referral",
    "application_submit_step",
    "application_withdraw",
    "comment_create",
    "comment_resolve",
    "helper_accept",
    "helper_decline",
    "helper_invite",
    "helper_remove",
    "helper_resend",
    "network_create",
    "network_invitation_accept",
    "network_invitation_decline",
    "network_invitation_resend",
    "network_invitation_revoke",
    "network_invite_member",
    "network_member_leave",
    "network_member_remove",
    "network_set_role",
    "network_update",
    "sign_in_link",
    "sign_in_link_check",
    "sign_in_link_for_email",
    "sign_in_link_send",
    "sign_in_link_use",
    "step_save_answers",
]
