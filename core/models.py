"""The event outbox: one row for each thing that happened that a fund's back office may want.

``core.events.record_event`` writes it in the same transaction as the change it reports, so a
rolled-back change leaves no event; whoever delivers events (integrations' webhooks) picks it up
after the commit.

The fund is a plain ``fund_id`` number, not a foreign key: core sits below funds and may not
know it, and an event is a record of the past that is never joined to its fund. The database's
old foreign-key constraint was dropped with the move, so deleting a fund is not blocked by its
events (integrations deletes them with the fund, as the cascade did before).
"""

import uuid

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    """One thing that happened, for the fund's back office: the outbox row."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    fund_id = models.BigIntegerField(_("fund"), db_index=True)
    type = models.CharField(_("type"), max_length=50)
    payload = models.JSONField(_("payload"), encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # Set once a delivery exists for every matching endpoint; the sweep finds the rest.
    fanned_out_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # The table it had in integrations: moved in the migration state only, no row copied.
        db_table = "integrations_event"
        ordering = ["-created_at"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            models.Index(fields=["fund_id", "-created_at"], name="event_fund_created"),
            models.Index(
                fields=["created_at"],
                condition=models.Q(fanned_out_at__isnull=True),
                name="event_not_fanned_out",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.id}"


class Province(models.Model):
    """One of the twelve Dutch provinces: the region of a network, a programme and a directory
    entry, with a place name beside it (no package registry ships a trustworthy list of
    municipalities with CBS codes). Loaded from pycountry by ``core.regions.sync``."""

    code = models.CharField(_("code"), max_length=6, unique=True, help_text="ISO 3166-2:NL")
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name
