"""The event types a fund's back office can subscribe to: the webhooks' catalogue.

Events are recorded by the domain services through ``core.events`` (the outbox, ``core.Event``);
this app only delivers them. Every type recorded there is listed here, with what it means, for
the subscription screens, the API and its schema.
"""

from django.utils.translation import gettext_lazy as _

#: Every event type a fund can subscribe to, with what it means.
EVENT_TYPES = {
    "application.created": _("An application is started"),
    "application.transitioned": _("An application moves to another state"),
    "application.lead_officer_changed": _("The fund assigns, changes or removes the lead officer"),
    "step.submitted": _("A network submits a step"),
    "comment.created": _("A comment is written on a step"),
    "referral.started": _("A network you referred applies to the other programme"),
    "agreement.executed": _("An agreement is signed by everyone"),
    "tranche.due": _("A tranche becomes due for payment"),
    "tranche.paid": _("A tranche is marked paid"),
    "report.submitted": _("A network submits a report"),
    "allocation.changed": _("Support hours are reserved, confirmed, logged, closed or released"),
}
#: Sent only by "send test event", to one endpoint.
TEST_EVENT = "webhook.test"
