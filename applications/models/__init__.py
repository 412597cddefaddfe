from .network import Network, NetworkMember  # noqa: I001 - network first: permissions need it
from .application import Application, Referral
from .step import Comment, Revision, Step, StepSubmission

__all__ = [
    "Application",
    "Comment",
    "Network",
    "NetworkMember",
    "Referral",
    "Revision",
    "Step",
    "StepSubmission",
]
