"""Everything a person can do to an agreement, a tranche or a report, once: who, when, how.

The agreement and report pages, the admin and the API ask these registries what to offer
(``available``) and run an action through them (``run``). Each action's ``perform`` is one call
of ``agreements.services``, which checks the same refusals again under its row lock.

What follows by itself is no action here: an agreement is executed by its last signature, a
tranche becomes due on signing or when the final report is accepted. The models' django-fsm
``permission=`` gives those to nobody, so ``get_available_user_state_transitions(user)`` agrees
with ``available`` for people.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.actions import Action, Registry

from . import permissions, rules, services
from .models import Agreement, Report, Tranche


def _state_refusal(obj, states) -> str | None:
    if obj.state in states:
        return None
    return _("This is not possible now: it is '%(state)s'. Reload to see the latest.") % {
        "state": obj.get_state_display()
    }


def _in_states(*states):
    def when(obj) -> str | None:
        return _state_refusal(obj, states)

    return when


# Agreements ------------------------------------------------------------------------------------


def _sendable(agreement: Agreement) -> str | None:
    """A draft, with everything right that must be right before anyone signs."""
    refusal = _state_refusal(agreement, [Agreement.State.DRAFT])
    if refusal is None:
        errors = rules.sending_errors(agreement)
        if errors:
            refusal = next(iter(errors.values()))[0]  # the first problem of the checklist
    return refusal


def _send(agreement: Agreement, *, actor, note: str = "", confirmed: bool = False):
    return services.agreement_send(agreement=agreement, actor=actor, note=note, confirmed=confirmed)


def _cancel(agreement: Agreement, *, actor, note: str = ""):
    return services.agreement_cancel(agreement=agreement, actor=actor, note=note)


AGREEMENT_ACTIONS = Registry(
    [
        Action(
            name="send",
            label=gettext_lazy("Send for signature"),
            perform=_send,
            who=permissions.agreement_officer_refusal,
            when=_sendable,
            fields=("note", "confirmed"),
            done=gettext_lazy("The agreement is sent. Everyone who signs gets a personal link."),
        ),
        Action(
            name="cancel",
            label=gettext_lazy("Cancel the agreement"),
            perform=_cancel,
            who=permissions.agreement_officer_refusal,
            when=_in_states(Agreement.State.DRAFT, Agreement.State.OUT_FOR_SIGNATURE),
            fields=("note",),
            done=gettext_lazy("The agreement is cancelled. Its signing links stop working."),
        ),
    ]
)


# Tranches --------------------------------------------------------------------------------------


def _mark_paid(tranche: Tranche, *, actor, paid_on=None, reference: str = ""):
    return services.tranche_mark_paid(
        tranche=tranche, actor=actor, paid_on=paid_on, reference=reference
    )


TRANCHE_ACTIONS = Registry(
    [
        Action(
            name="mark_paid",
            label=gettext_lazy("Mark paid"),
            perform=_mark_paid,
            who=permissions.mark_paid_refusal,
            when=_in_states(Tranche.State.DUE),
            fields=("paid_on", "reference"),
            required=("paid_on", "reference"),
            done=gettext_lazy("Tranche %(n)s is marked paid."),
        ),
    ]
)


# Reports ---------------------------------------------------------------------------------------


def _accept(report: Report, *, actor):
    return services.report_accept(report=report, actor=actor)


def _request_changes(report: Report, *, actor, comment: str = ""):
    return services.report_request_changes(report=report, actor=actor, comment=comment)


def _resubmit(report: Report, *, actor, what_was_done=None, spending=None, attachments=()):
    return services.report_resubmit(
        report=report,
        actor=actor,
        what_was_done=what_was_done,
        spending=spending,
        attachments=attachments,
    )


REPORT_ACTIONS = Registry(
    [
        Action(
            name="accept",
            label=gettext_lazy("Accept the report"),
            perform=_accept,
            who=permissions.report_review_refusal,
            when=_in_states(Report.State.SUBMITTED),
            done=gettext_lazy("The report is accepted."),
        ),
        Action(
            name="request_changes",
            label=gettext_lazy("Request changes"),
            perform=_request_changes,
            who=permissions.report_review_refusal,
            when=_in_states(Report.State.SUBMITTED),
            fields=("comment",),
            required=("comment",),
            done=gettext_lazy("The network is asked to change the report."),
        ),
        Action(
            name="resubmit",
            label=gettext_lazy("Send the changed report"),
            perform=_resubmit,
            who=permissions.report_resubmit_refusal,
            when=_in_states(Report.State.CHANGES_REQUESTED),
            fields=("what_was_done", "spending"),
            done=gettext_lazy("Your changed report is sent to the fund."),
        ),
    ]
)


def offers(registry: Registry, obj, user, *, credential=None) -> dict:
    """The available actions by name, for a template: ``{% if actions.send %}``."""
    return {offer.name: offer for offer in registry.available(obj, user, credential=credential)}
