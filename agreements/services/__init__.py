"""Every write to agreements, tranches and reports goes through these functions."""

from .drafts import (
    agreement_save_draft,
    agreement_set_signatories,
    agreement_set_tranches,
    agreement_update,
)
from .payments import tranche_mark_paid
from .preparing import (
    agreement_cancel,
    agreement_prepare,
    agreement_send,
    sending_errors,
    sending_warnings,
)
from .reports import report_accept, report_request_changes, report_resubmit, report_submit
from .signing import agreement_request_countersignature, agreement_sign

__all__ = [
    "agreement_cancel",
    "agreement_prepare",
    "agreement_request_countersignature",
    "agreement_save_draft",
    "agreement_send",
    "agreement_set_signatories",
    "agreement_set_tranches",
    "agreement_sign",
    "agreement_update",
    "report_accept",
    "report_request_changes",
    "report_resubmit",
    "report_submit",
    "sending_errors",
    "sending_warnings",
    "tranche_mark_paid",
]
