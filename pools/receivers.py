"""What pools does when an application is decided: its reserved hours follow the decision.

Connected in ``PoolsConfig.ready()``. Applications sends these signals inside the decision's
transaction, so the allocations change (and their events are recorded) in that same transaction:
if anything fails, the decision and the hours roll back together.
"""

from django.utils.translation import gettext as _

from applications.signals import application_awarded, application_ended

from .services import allocations_confirm_for, allocations_release_for


def confirm_support(sender, *, application, actor, **kwargs) -> None:
    """The award promises the reserved hours."""
    allocations_confirm_for(application=application, actor=actor)


def release_support(sender, *, application, actor, transition="", **kwargs) -> None:
    """A declined or withdrawn application gives its hours back to the pool."""
    if transition == "withdraw":
        note = _("The application was withdrawn")
    else:
        note = _("The application was declined")
    allocations_release_for(application=application, actor=actor, note=note)


def connect() -> None:
    application_awarded.connect(confirm_support, dispatch_uid="pools.confirm_support")
    application_ended.connect(release_support, dispatch_uid="pools.release_support")
