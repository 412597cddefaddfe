from .network import Network, NetworkInvitation, NetworkMember  # noqa: I001 - network first: permissions need it
from .application import Application, ApplicationHelper, Referral
from .step import Comment, Revision, Step, StepSubmission
from .lead_officer import LeadOfficerChange

__all__ = [
    "Application",
    "ApplicationHelper",
    "Comment",
    "LeadOfficerChange",
    "Network",
    "NetworkInvitation",
    "NetworkMember",
    "Referral",
    "Revision",
    "Step",
    "StepSubmission",
]
