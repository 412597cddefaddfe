from .network import Network, NetworkInvitation, NetworkMember  # noqa: I001 - network first: permissions need it
from .application import Application, Referral
from .step import Comment, Revision, Step, StepSubmission

__all__ = [
    "Application",
    "Comment",
    "Network",
    "NetworkInvitation",
    "NetworkMember",
    "Referral",
    "Revision",
    "Step",
    "StepSubmission",
]
