"""Changing the referral directory: add, edit and confirm an entry.

Each service checks who may (``directory.permissions``), validates the whole entry (a phone
number that can be called, kept in E.164; at least a phone number, e-mail or web address) and
records who added or last checked it. The directory belongs to no single fund, so it writes no
fund's event outbox.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .contact import web_address
from .models import DirectoryEntry
from .permissions import keeper_refusal

#: What an entry takes: ``province`` and ``programme`` as instances (or None), ``themes`` as an
#: iterable of ``funds.Theme``, ``languages`` as a list of codes (``core.languages.SPOKEN``).
ENTRY_FIELDS = (
    "name",
    "kind",
    "offer",
    "themes",
    "province",
    "place",
    "neighbourhood",
    "languages",
    "programme",
    "contact_name",
    "phone",
    "email",
    "url",
)
TEXT_FIELDS = ("name", "offer", "place", "neighbourhood", "contact_name", "phone", "email")


def entry_check(data: dict, *, entry: DirectoryEntry | None = None) -> tuple[DirectoryEntry, list]:
    """The entry (a new one, or ``entry`` with ``data`` applied) validated but not saved, and
    its themes (``None``: keep them); a ValidationError naming the field otherwise.

    The decline asks this too when an officer adds a referral to the directory on the spot.
    """
    if not isinstance(data, dict) or set(data) - set(ENTRY_FIELDS):
        raise ValidationError(
            _("Use only these fields: %(fields)s.") % {"fields": ", ".join(ENTRY_FIELDS)}
        )
    entry = entry if entry is not None else DirectoryEntry()
    for field in ENTRY_FIELDS:
        if field == "themes" or field not in data:
            continue
        value = data[field]
        if field in TEXT_FIELDS:
            value = str(value or "").strip()
        elif field == "url":
            value = web_address(value)
        elif field == "languages":
            value = list(value or [])
        setattr(entry, field, value)
    # The check constraint has a message a person can act on ("Give a phone number, ..."),
    # so full_clean may validate it: it comes back as the form's own error.
    entry.full_clean()
    _refuse_a_second_one(entry)
    themes = data.get("themes")
    return entry, (list(themes) if themes is not None else None)


def _refuse_a_second_one(entry: DirectoryEntry) -> None:
    """One entry per organisation and region: a second one would drift apart from the first."""
    twins = DirectoryEntry.objects.filter(name__iexact=entry.name, province=entry.province)
    if entry.pk:
        twins = twins.exclude(pk=entry.pk)
    if twins.exists():
        raise ValidationError(
            {
                "name": _("The directory already has “%(name)s” for this region.")
                % {"name": entry.name}
            }
        )


def _require_keeper(actor) -> None:
    if refusal := keeper_refusal(actor):
        raise PermissionDenied(refusal)


def _checked(entry: DirectoryEntry, actor) -> None:
    entry.checked_at = timezone.now()
    entry.checked_by = actor


@transaction.atomic
def entry_create(*, actor, data: dict) -> DirectoryEntry:
    """Add an entry; whoever adds it has just checked it."""
    _require_keeper(actor)
    entry, themes = entry_check(data)
    entry.added_by = actor
    _checked(entry, actor)
    entry.save()
    if themes:
        entry.themes.set(themes)
    return entry


@transaction.atomic
def entry_update(*, actor, entry: DirectoryEntry, data: dict) -> DirectoryEntry:
    """Change an entry. Referrals made from it keep the contact they were given (a snapshot),
    and an edit by fund staff counts as a check."""
    _require_keeper(actor)
    entry = DirectoryEntry.objects.select_for_update().get(pk=entry.pk)
    entry, themes = entry_check(data, entry=entry)
    _checked(entry, actor)
    entry.save()
    if themes is not None:
        entry.themes.set(themes)
    return entry


@transaction.atomic
def entry_mark_checked(*, actor, entry: DirectoryEntry) -> DirectoryEntry:
    """ "Still correct": the entry counts as checked today, without changing anything else."""
    _require_keeper(actor)
    entry = DirectoryEntry.objects.select_for_update().get(pk=entry.pk)
    _checked(entry, actor)
    entry.save(update_fields=["checked_at", "checked_by"])
    return entry
