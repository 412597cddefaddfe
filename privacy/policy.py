"""How long personal data is kept: the defaults, the bounds a fund may choose within, and why.

docs/privacy.md says the same for people; keep the two in step. A fund sets its own periods
(``privacy.models.FundRetention``) for what belongs to its agreements; what belongs to no fund
(accounts, invitations) has one period for the whole site.

The clock for a signatory's data starts when the agreement *ends*: when its application is closed
(final report accepted, last tranche paid) or when the agreement is cancelled. A running
agreement keeps everything: that is when it is needed.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Period:
    """A period in months that each fund may set between ``minimum`` and ``maximum``."""

    default: int
    minimum: int
    maximum: int


# Birth date and home address of a signatory: they say who answers, jointly, for a fund's money
# when a network has no legal entity. The payment records that name whom the fund paid and why
# must be kept 7 years (art. 52 AWR, the fiscal retention duty), and a claim to repay money lapses
# 5 years after the fund learns of it (art. 3:309 BW): 7 years covers both, and whom was paid and
# who answers for it disappear together. Less than 2 years would erase them before the fund's
# accounts for the year the agreement ended are audited; more than 10 has no ground at all.
SIGNATORY_DETAILS = Period(default=7 * 12, minimum=2 * 12, maximum=10 * 12)

# IP address and browser of a signature: evidence of who signed, needed only while a dispute
# about the signature is plausible. That is while the agreement runs and shortly after the fund's
# final decision on it (the final report): 12 months. At least 3 months, time to object to that
# decision; at most 5 years, the limitation period of a contractual claim (art. 3:307 BW), after
# which no dispute about the signature can matter. Never longer than the signatory's details.
SIGNATURE_EVIDENCE = Period(default=12, minimum=3, maximum=5 * 12)

# An account that never signed in and belongs to no network or fund: someone asked for a sign-in
# link or was entered by an administrator and never came. 90 days leaves time to come back to a
# link sent again; after that the e-mail address has no purpose. One period for the whole site.
UNUSED_ACCOUNT_DAYS = 90

# An invitation that expired, was declined or was withdrawn: the inviter still sees it for 30 days
# (to send it again); after that the address of someone who never joined has no purpose.
# Accepted invitations stay with the membership they record (the consent) until the account goes.
CLOSED_INVITATION_DAYS = 30
#: Messages (``notifications.Notification``): a year is long enough to look back on the
#: conversation of a round; the application itself keeps every comment and decision.
MESSAGE_DAYS = 365

LABELS = {
    "signatory_details_months": _("Birth date and home address of signatories"),
    "signature_evidence_months": _("IP address and browser of signatures"),
}


def months(n: int) -> timedelta:
    """A month as 1/12 of an average Gregorian year: a retention period needs no calendar."""
    return timedelta(days=round(n * 365.2425 / 12))
