"""Every personal field we hold: what, why, who sees it, how long.

The privacy page shows this list in plain Dutch and English; docs/privacy.md says the same for
developers, field by field. tests/privacy/test_inventory.py checks that every personal field of
the models is here and in docs/privacy.md, so a new one cannot slip in unexplained.
"""

from dataclasses import dataclass

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from privacy.policy import (
    CLOSED_INVITATION_DAYS,
    MESSAGE_DAYS,
    SIGNATORY_DETAILS,
    SIGNATURE_EVIDENCE,
    UNUSED_ACCOUNT_DAYS,
)

UNTIL_DELETED = _("Until you delete your account (under “My data”).")


@dataclass(frozen=True)
class Entry:
    what: str
    fields: tuple[str, ...]  # "app_label.Model.field"
    why: str
    who: str
    how_long: str


def _format(text, **values) -> str:
    return str(text) % values


format_lazy = lazy(_format, str)

INVENTORY = (
    Entry(
        _(
            "Your account: name, e-mail address, user name, password (only scrambled), when you "
            "joined and last signed in"
        ),
        (
            "auth.User.first_name",
            "auth.User.last_name",
            "auth.User.email",
            "auth.User.username",
            "auth.User.password",
            "auth.User.last_login",
            "auth.User.date_joined",
        ),
        _("To sign you in and to show who wrote or decided something."),
        _(
            "You. Your name: the other members of your networks and the officers of the funds "
            "you work with."
        ),
        format_lazy(
            _(
                "Until you delete your account. An account that was never used (never signed in, "
                "in no network or fund) is removed after %(days)s days."
            ),
            days=UNUSED_ACCOUNT_DAYS,
        ),
    ),
    Entry(
        _("Your memberships of networks and invitations to join one"),
        (
            "applications.NetworkMember.user",
            "applications.NetworkInvitation.email",
            "applications.NetworkInvitation.invited_by",
            "applications.NetworkInvitation.accepted_by",
            "applications.NetworkInvitation.revoked_by",
        ),
        _("To know who may write and act for a network, and to ask you first."),
        _(
            "The network's members; a fund's officers when the network applies to that fund. An "
            "invitation: the network's coordinators."
        ),
        format_lazy(
            _(
                "Until you leave or delete your account. An invitation nobody accepted: %(days)s "
                "days after it expired, was declined or withdrawn."
            ),
            days=CLOSED_INVITATION_DAYS,
        ),
    ),
    Entry(
        _("Helping a network write an application, and invitations to help"),
        (
            "applications.ApplicationHelper.email",
            "applications.ApplicationHelper.user",
            "applications.ApplicationHelper.invited_by",
            "applications.ApplicationHelper.removed_by",
        ),
        _(
            "To know who may write drafts and comments with a network, and to show who helped "
            "write what."
        ),
        _(
            "The network's members and the helper; the fund's officers see the helper's name on "
            "what they wrote."
        ),
        format_lazy(
            _(
                "Until the application closes or you delete your account. An invitation nobody "
                "accepted: %(days)s days after it expired, was declined or withdrawn."
            ),
            days=CLOSED_INVITATION_DAYS,
        ),
    ),
    Entry(
        _(
            "People and organisations in the referral directory: contact person, phone, e-mail "
            "address, who added and who last checked the entry"
        ),
        (
            "directory.DirectoryEntry.contact_name",
            "directory.DirectoryEntry.phone",
            "directory.DirectoryEntry.email",
            "directory.DirectoryEntry.added_by",
            "directory.DirectoryEntry.checked_by",
        ),
        _(
            "So that a network that hears “no” always gets someone to call. A referral "
            "keeps the contact as it was when the network was told."
        ),
        _("The staff of every fund; a network referred to the entry sees its contact."),
        _(
            "Until fund staff remove the entry; an entry nobody checked for a year is marked for "
            "checking."
        ),
    ),
    Entry(
        _(
            "Your work for a fund: your role, your work phone, the applications you lead as "
            "contact person, and a fund's public contact person"
        ),
        (
            "funds.FundMembership.user",
            "funds.FundMembership.phone",
            "applications.Application.lead_officer",
            "applications.LeadOfficerChange.previous",
            "applications.LeadOfficerChange.new",
            "applications.LeadOfficerChange.changed_by",
            "funds.Fund.contact_name",
            "funds.Fund.contact_email",
            "funds.Fund.contact_phone",
            "privacy.FundRetention.updated_by",
        ),
        _("To know who reviews and decides for a fund, and whom networks can call."),
        _(
            "The fund's staff; a lead officer's name and work phone (or e-mail address): the "
            "networks of the applications they lead; the contact person: everyone."
        ),
        UNTIL_DELETED,
    ),
    Entry(
        _(
            "Messages to you: what they said, where they were sent, when you read them; your "
            "language and how often you want e-mail"
        ),
        (
            "notifications.Notification.recipient",
            "notifications.Notification.email",
            "notifications.Preference.user",
        ),
        _(
            "So that you hear of every comment, question and decision, in your language, as "
            "often as you chose."
        ),
        _("You. The operator of Eigenwijs sees whether a message was sent, to solve problems."),
        format_lazy(
            _("%(days)s days, or until you delete your account."),
            days=MESSAGE_DAYS,
        ),
    ),
    Entry(
        _(
            "What you write in an application: answers, comments, submitted steps, referrals to "
            "a contact person elsewhere"
        ),
        (
            "applications.Application.created_by",
            "applications.Revision.author",
            "applications.StepSubmission.submitted_by",
            "applications.Comment.author",
            "applications.Comment.resolved_by",
            "applications.Referral.contact_name",
            "applications.Referral.phone",
            "applications.Referral.email",
        ),
        _("An application is written together, step by step; every version counts."),
        _("The network's members and the officers of the fund it applies to."),
        _(
            "As long as the application, as the fund's record. When you delete your account the "
            "text stays, without your name."
        ),
    ),
    Entry(
        _(
            "As a signatory of an agreement: name, e-mail address, the name you typed, when you "
            "signed"
        ),
        (
            "agreements.Signatory.name",
            "agreements.Signatory.email",
            "agreements.Signatory.typed_name",
        ),
        _("To send you the link to sign, and to prove who agreed to what."),
        _(
            "Your name: the network's members and the fund's staff. Your e-mail address: the "
            "fund's staff only."
        ),
        _(
            "As long as the agreement. When you delete your account, a signed agreement keeps "
            "only your name as you signed it."
        ),
    ),
    Entry(
        _("As a signatory: date of birth and home address"),
        ("agreements.Signatory.date_of_birth", "agreements.Signatory.address"),
        _(
            "Some funds ask them to know who answers for the money when a network has no "
            "foundation or association."
        ),
        _("The fund's staff only."),
        format_lazy(
            _(
                "%(years)s years after the agreement ends (each fund may choose between %(min)s "
                "and %(max)s years): as long as the fund must keep its payment records."
            ),
            years=SIGNATORY_DETAILS.default // 12,
            min=SIGNATORY_DETAILS.minimum // 12,
            max=SIGNATORY_DETAILS.maximum // 12,
        ),
    ),
    Entry(
        _("As a signatory: the IP address and browser you signed with"),
        ("agreements.Signatory.ip_address", "agreements.Signatory.user_agent"),
        _(
            "Evidence of who signed, in case someone disputes a signature. They are not printed "
            "in the contract."
        ),
        _("The fund's staff, only in the administration."),
        format_lazy(
            _(
                "%(months)s months after the agreement ends (each fund may choose between "
                "%(min)s and %(max)s months)."
            ),
            months=SIGNATURE_EVIDENCE.default,
            min=SIGNATURE_EVIDENCE.minimum,
            max=SIGNATURE_EVIDENCE.maximum,
        ),
    ),
    Entry(
        _(
            "Payments and reports: account holder, IBAN, the host organisation's representative, "
            "who prepared the agreement and marked payments, payment references, reports, "
            "receipts and their comments"
        ),
        (
            "agreements.Agreement.payee_name",
            "agreements.Agreement.iban",
            "agreements.Agreement.host_representative_name",
            "agreements.Agreement.host_representative_email",
            "agreements.Agreement.prepared_by",
            "agreements.Tranche.paid_by",
            "agreements.Report.submitted_by",
            "agreements.ReportComment.author",
        ),
        _("To pay, and to account for what the money did."),
        _("The network's members and the fund's staff."),
        _("As long as the fund must keep its payment records (7 years)."),
    ),
    Entry(
        _(
            "Support pools: the pool's contact person, providers' names, e-mail addresses, phone "
            "numbers and rates, who reserved and logged hours"
        ),
        (
            "pools.SupportPool.contact_name",
            "pools.SupportPool.contact_email",
            "pools.Provider.name",
            "pools.Provider.email",
            "pools.Provider.phone",
            "pools.Provider.user",
            "pools.Allocation.created_by",
            "pools.Delivery.logged_by",
        ),
        _("To arrange and account for hours of support instead of money."),
        _("The staff of the funds in the pool; the provider and the network it helps."),
        _(
            "As long as the pool's records. When a provider deletes their account, only the name "
            "stays with the hours delivered."
        ),
    ),
    Entry(
        _(
            "API keys, tokens and webhooks: who created or approved them, and when they were last "
            "used"
        ),
        (
            "integrations.FundAPIKey.user",
            "integrations.FundAPIKey.created_by",
            "integrations.FundAPIKey.approved_by",
            "integrations.FundKeyChange.by",
            "integrations.PersonalAccessToken.user",
            "integrations.WebhookEndpoint.created_by",
        ),
        _("A key acts for the person who created it; that person answers for what it does."),
        _("You, and a fund's managers for the fund's keys."),
        _(
            "Until you delete your account. Then your tokens stop, and a key you created may "
            "only read."
        ),
    ),
    Entry(
        _("The transition log: who took which step, when, with the note they gave"),
        ("django_fsm_log.StateLog.by", "django_fsm_log.StateLog.description"),
        _("To show who decided what, and to check that no one decides alone (four eyes)."),
        _("The network's members and the fund's staff, for their own applications."),
        _(
            "As long as what it is about. When you delete your account the entries stay, without "
            "your name."
        ),
    ),
    Entry(
        _("Technical: your signed-in session, and the answer to an API request sent again"),
        (
            "sessions.Session.session_data",
            "api.IdempotencyRecord.owner",
            "api.IdempotencyRecord.body",
        ),
        _("To keep you signed in, and to answer a repeated request the same way."),
        _("Nobody: only the software uses them."),
        _("A session: until you sign out or 2 weeks. A repeated request's answer: 7 days."),
    ),
)
