"""The kinds of accountability a fund can accept instead of (or beside) a legal entity.

A programme names the arrangements it accepts, so the codes live with funds; the agreements
that carry them out, and their contracts, belong to the agreements app.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Arrangement(models.TextChoices):
    LEGAL_ENTITY = "legal_entity", _("Legal entity (foundation or association)")
    COOPERATION_AGREEMENT = "cooperation_agreement", _("Cooperation agreement between members")
    HOST_ORGANISATION = "host_organisation", _("Host organisation receives the money")
    SUPPORT_ONLY = "support_only", _("Support only, no money")


#: Arrangements open to a network that has no foundation or association of its own.
INFORMAL_ARRANGEMENTS = frozenset(
    {
        Arrangement.COOPERATION_AGREEMENT,
        Arrangement.HOST_ORGANISATION,
        Arrangement.SUPPORT_ONLY,
    }
)
