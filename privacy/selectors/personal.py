"""Everything we hold about one person, for "Mijn gegevens" (JSON and a readable page).

Each section is a list of rows built from this person's own records only: what their account
says, what they wrote or did, and where they are named. Other people's names and addresses never
appear, also not in records they share (a network's member list, an agreement's other signers).
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm_log.models import StateLog

from applications.models import (
    Application,
    Comment,
    NetworkInvitation,
    NetworkMember,
    Revision,
    StepSubmission,
)
from funds.models import FundMembership
from notifications.models import Notification, Preference

from .records import agreement_sections, credential_sections, pool_sections
from .rows import Section, rows


def _account(user) -> list[dict]:
    return [
        {
            "username": user.get_username(),
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "is_active": user.is_active,
            "has_password": user.has_usable_password(),
        }
    ]


def _transition_log(user) -> list[dict]:
    entries = StateLog.objects.filter(by=user).select_related("content_type").order_by("timestamp")
    return [
        {
            "at": entry.timestamp,
            "subject": entry.content_type.model,
            "subject_id": entry.object_id,
            "transition": entry.transition,
            "state": entry.state,
            "note": entry.description or "",
        }
        for entry in entries
    ]


def personal_data(*, user) -> list[Section]:
    """What we hold about ``user``, section by section, in the order of the readable page."""
    invitations = NetworkInvitation.objects.filter(
        Q(email__iexact=user.email) if user.email else Q(pk__in=[])
    )
    return [
        Section("account", _("Your account"), _account(user)),
        Section(
            "network_memberships",
            _("Networks you are a member of"),
            rows(
                NetworkMember.objects.filter(user=user).order_by("joined_at"),
                network="network__name",
                role="role",
                joined_at="joined_at",
            ),
        ),
        Section(
            "network_invitations",
            _("Invitations to your e-mail address"),
            rows(
                invitations.order_by("created_at"),
                network="network__name",
                role="role",
                sent_at="sent_at",
                expires_at="expires_at",
                accepted_at="accepted_at",
                declined_at="declined_at",
            ),
        ),
        Section(
            "fund_memberships",
            _("Funds you work for"),
            rows(FundMembership.objects.filter(user=user), fund="fund__name", role="role"),
        ),
        Section(
            "applications_created",
            _("Applications you started"),
            rows(
                Application.objects.filter(created_by=user).order_by("created_at"),
                id="pk",
                title="title",
                network="network__name",
                programme="programme__title",
                state="state",
                created_at="created_at",
            ),
        ),
        Section(
            "revisions",
            _("Answers you saved"),
            rows(
                Revision.objects.filter(author=user).order_by("created_at"),
                application="step__application__title",
                step="step__key",
                number="number",
                answers="content",
                created_at="created_at",
            ),
        ),
        Section(
            "step_submissions",
            _("Steps you submitted"),
            rows(
                StepSubmission.objects.filter(submitted_by=user).order_by("submitted_at"),
                application="step__application__title",
                step="step__key",
                revision="revision__number",
                submitted_at="submitted_at",
            ),
        ),
        Section(
            "comments",
            _("Comments you wrote"),
            rows(
                Comment.objects.filter(author=user).order_by("created_at"),
                application="step__application__title",
                step="step__key",
                question="question_key",
                comment="body",
                created_at="created_at",
            ),
        ),
        *agreement_sections(user),
        *pool_sections(user),
        Section(
            "notification_preference",
            _("Your language and e-mail choice"),
            rows(Preference.objects.filter(user=user), language="language", email="frequency"),
        ),
        Section(
            "notifications",
            _("Messages to you"),
            rows(
                Notification.objects.filter(recipient=user).order_by("created_at"),
                subject="subject",
                text="text",
                sent_to="email",
                created_at="created_at",
                mail="mail",
                sent_at="sent_at",
                read_at="read_at",
            ),
        ),
        *credential_sections(user),
        Section("transition_log", _("What you did, in the transition log"), _transition_log(user)),
    ]
