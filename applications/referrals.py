"""Where a declined network can go next: the rules for one referral, asked by the decline
service (``applications.services.review.application_decline``), the decline form and the API,
so a bad phone number or a programme the network cannot apply to is refused in the same words
everywhere, at the field.

A referral is another programme, a contact typed in, or an entry picked from the shared
referral directory (``directory``). A picked entry's contact is copied into the referral as it
is now (a snapshot): editing the entry later does not rewrite what the network was told. A
typed-in contact can also be added to the directory on the spot, in the decline's transaction.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from applications.models import Application, Referral
from applications.services.starting import eligibility_refusal, network_facts
from directory.contact import web_address
from directory.models import DirectoryEntry
from directory.selectors import entries_for_network
from directory.services import entry_check, entry_create
from funds.eligibility import fitting_programmes
from funds.models import Programme

REFERRAL_FIELDS = ("programme", "organisation", "contact_name", "phone", "email", "url", "note")
#: What one referral takes as input: a referral's own fields, or a directory ``entry`` (and a
#: ``note``); ``add_to_directory`` adds a typed-in contact to the directory.
INPUT_FIELDS = (*REFERRAL_FIELDS, "entry", "add_to_directory")
#: The longest note on a referral.
MAX_REFERRAL_NOTE = 2000
#: Where a would-be directory entry's errors show on the referral row it is made from.
ENTRY_TO_ROW = {"offer": "note", "phone": "phone", "email": "email", "url": "url"}


def referral_programmes(application: Application) -> QuerySet[Programme]:
    """The programmes a declined network may be referred to: open now, not the one it applied
    to, and ones it could apply to (``funds.eligibility``, on the network's facts read once: a
    foundations-only programme is not offered to an informal network). The decline form offers
    these; ``referral_check`` refuses any other."""
    fitting = fitting_programmes(network_facts(application.network), exclude=application.programme)
    return Programme.objects.select_related("fund").filter(pk__in=[p.pk for p in fitting])


def referral_entries(application: Application, *, show_all: bool = False):
    """The directory entries a decline offers: for the network's province and the
    application's themes, the same place as the network first (``show_all``: every entry)."""
    network = application.network
    return entries_for_network(
        province_id=network.province_id,
        place=network.area,
        theme_ids=[theme.pk for theme in application.themes],
        show_all=show_all,
    )


def referral_check(*, application: Application, data: dict) -> Referral:
    """One referral of a decline, built and checked: an unsaved Referral (its phone number in
    E.164), or a ValidationError naming the field. The decline runs it for every referral;
    the web form and the API run it on each row first, so the message sits at the field.

    ``data["entry"]`` (an id or a DirectoryEntry) refers to a directory entry; with
    ``data["add_to_directory"]`` a typed-in contact becomes an entry when it is saved
    (``referral_save``)."""
    if not isinstance(data, dict) or set(data) - set(INPUT_FIELDS):
        raise ValidationError(
            _("Use only these fields: %(fields)s.") % {"fields": ", ".join(INPUT_FIELDS)}
        )
    if data.get("entry") not in (None, ""):
        return _from_entry(application, data)
    add_to_directory = bool(data.get("add_to_directory"))
    referral = _build_referral(
        application, {key: value for key, value in data.items() if key in REFERRAL_FIELDS}
    )
    # Referral.clean() states the check constraint's rule in words a user can act on;
    # validating the constraint as well would add its internal name as a second message.
    referral.full_clean(exclude=["application"], validate_constraints=False)
    if referral.programme is not None and (
        refusal := eligibility_refusal(network=application.network, programme=referral.programme)
    ):
        raise ValidationError(
            {
                "programme": _("The network cannot apply to this programme. %(reason)s")
                % {"reason": refusal}
            }
        )
    if add_to_directory:
        referral.directory_data = _directory_data(application, referral)
    return referral


def referral_save(referral: Referral, *, actor) -> Referral:
    """Save a checked referral, first adding its contact to the directory if asked: inside the
    decline's transaction, so a refused decline adds nobody."""
    data = getattr(referral, "directory_data", None)
    if data is not None:
        referral.entry = entry_create(actor=actor, data=data)
    referral.save()
    return referral


def _from_entry(application: Application, data: dict) -> Referral:
    """A referral to a directory entry, with a copy of its contact as it is now; the entry's
    offer is the note when the officer wrote none."""
    if set(data) - {"entry", "note", "add_to_directory"} or data.get("add_to_directory"):
        raise ValidationError(
            {
                "entry": _(
                    "Send only a note with a directory entry: its contact comes from the directory."
                )
            }
        )
    entry = data["entry"]
    if not isinstance(entry, DirectoryEntry):
        entry = DirectoryEntry.objects.filter(pk=entry).first() if str(entry).isdigit() else None
        if entry is None:
            raise ValidationError({"entry": _("That directory entry does not exist.")})
    note = str(data.get("note") or "").strip()
    if len(note) > MAX_REFERRAL_NOTE:
        raise ValidationError(
            {"note": _("Keep it under %(n)s characters.") % {"n": MAX_REFERRAL_NOTE}}
        )
    referral = Referral(
        application=application,
        entry=entry,
        programme=_entry_programme(application, entry),
        organisation=entry.name,
        contact_name=entry.contact_name,
        phone=entry.phone,
        email=entry.email,
        url=entry.url,
        note=note or entry.offer[:MAX_REFERRAL_NOTE],
    )
    try:
        referral.full_clean(exclude=["application"], validate_constraints=False)
    except ValidationError as error:
        # Only an entry saved around the services (an old phone number) gets here: the
        # officer cannot fix it in this row, but can in the directory.
        raise ValidationError(
            {
                "entry": [
                    _("%(name)s: %(message)s Correct it in the directory.")
                    % {"name": entry.name, "message": message}
                    for message in error.messages
                ]
            }
        ) from None
    return referral


def _entry_programme(application: Application, entry: DirectoryEntry) -> Programme | None:
    """The programme in Eigenwijs an entry stands for, when the network could apply there now
    (``referral_programmes``): then the referral carries it, and the network can apply there
    with its answers. Otherwise the referral is the entry's contact alone."""
    if entry.programme_id is None:
        return None
    return referral_programmes(application).filter(pk=entry.programme_id).first()


def _directory_data(application: Application, referral: Referral) -> dict:
    """The directory entry a typed-in referral becomes: the network's province and the
    application's themes; the note says what they offer. Checked now, saved with the decline."""
    programme = referral.programme
    offer = referral.note or (programme.title if programme else "")
    if not offer:
        raise ValidationError(
            {"note": _("To add them to the directory, say in the note what they offer.")}
        )
    data = {
        "name": referral.organisation or referral.contact_name or str(programme),
        "offer": offer,
        "contact_name": referral.contact_name if referral.organisation else "",
        "phone": referral.phone,
        "email": referral.email,
        "url": referral.url,
        "programme": programme,
        "province": application.network.province,
        "themes": list(application.themes),
    }
    try:
        entry_check(data)
    except ValidationError as error:
        raise ValidationError(
            {
                ENTRY_TO_ROW.get(field, "add_to_directory"): [
                    _("For the directory: %(message)s") % {"message": message}
                    for message in messages
                ]
                for field, messages in getattr(
                    error, "message_dict", {NON_FIELD_ERRORS: error.messages}
                ).items()
            }
        ) from None
    return data


def _build_referral(application: Application, data: dict) -> Referral:
    """A Referral from service input; a programme may be given as an instance or an id."""
    values = {key: value for key, value in data.items() if key != "programme"}
    values = {key: (value or "").strip() for key, value in values.items()}
    if values.get("url"):
        values["url"] = web_address(values["url"])
    if len(values.get("note", "")) > MAX_REFERRAL_NOTE:
        raise ValidationError(
            {"note": _("Keep it under %(n)s characters.") % {"n": MAX_REFERRAL_NOTE}}
        )
    programme = data.get("programme")
    if programme is not None and not isinstance(programme, Programme):
        programme = (
            Programme.objects.filter(pk=programme).first() if str(programme).isdigit() else None
        )
        if programme is None:
            raise ValidationError({"programme": _("That programme does not exist.")})
    if programme is not None and not programme.is_open():
        raise ValidationError({"programme": _("Refer to a programme that is open now.")})
    return Referral(application=application, programme=programme, **values)
