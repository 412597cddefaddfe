"""The demo's referral directory, and a warm referral taken up.

Entries are added by a fund officer through the directory's services, as on the screens; one is
dated back so the list shows what an entry nobody checked for a year looks like.
"""

import datetime

from django.utils import timezone

from applications import services
from applications.models import Application, NetworkMember
from core.models import Province
from directory import services as directory_services
from directory.models import DirectoryEntry
from funds.models import Theme

ENTRIES = {
    "broker": {
        "name": "Ideeënmakelaar Amsterdam-Oost",
        "kind": DirectoryEntry.Kind.BROKER,
        "offer": "Denkt mee over uw idee, kent de budgetten van de gemeente en brengt u in "
        "contact met buren die hetzelfde willen.",
        "themes": ["buurt", "ontmoeting"],
        "place": "Amsterdam",
        "neighbourhood": "Oost",
        "languages": ["nl", "en"],
        "contact_name": "Sanne Bakker",
        "phone": "020 555 0101",
        "email": "ideeen-oost@example.org",
    },
    "small": {
        "name": "Fonds Zorgzame Buurt",
        "kind": DirectoryEntry.Kind.FUND,
        "offer": "Kleine buurtideeën: tot € 1.500, snel beslist, ook zonder stichting.",
        "themes": ["buurt", "zorg"],
        "place": "",
        "languages": ["nl"],
        "contact_name": "Sofie de Wit",
        "phone": "020 555 0300",
        "email": "sofie@zorgzame-buurt.example",
    },
    "welfare": {
        "name": "Buurtwerk Slotervaart",
        "kind": DirectoryEntry.Kind.WELFARE,
        "offer": "Opbouwwerkers helpen groepen een plan en een aanvraag te schrijven, ook in het "
        "Turks, Arabisch en Tamazight.",
        "themes": ["ontmoeting", "zorg"],
        "place": "Amsterdam",
        "neighbourhood": "Slotervaart",
        "languages": ["nl", "tr", "ar", "ber"],
        "contact_name": "Yasmina El Amrani",
        "phone": "020 555 0400",
        "email": "buurtwerk-slotervaart@example.org",
    },
    "business": {
        "name": "Bouwmarkt De Spijker",
        "kind": DirectoryEntry.Kind.BUSINESS,
        "offer": "Geeft hout, verf en gereedschap in natura voor buurtprojecten.",
        "themes": ["groen", "buurt"],
        "place": "Amsterdam",
        "languages": ["nl"],
        "phone": "020 555 0500",
    },
    "language_house": {
        "name": "Taalhuis West",
        "kind": DirectoryEntry.Kind.OTHER,
        "offer": "Vrijwilligers helpen met formulieren en brieven, in het Nederlands, Turks en "
        "Arabisch.",
        "themes": ["ontmoeting"],
        "place": "Amsterdam",
        "neighbourhood": "West",
        "languages": ["nl", "tr", "ar"],
        "email": "taalhuis-west@example.org",
    },
    "national": {
        "name": "Landelijk steunpunt voor bewonersinitiatieven",
        "kind": DirectoryEntry.Kind.OTHER,
        "offer": "Voorbeelden, handleidingen en een telefonische vraagbaak voor bewonersgroepen.",
        "themes": [],
        "national": True,
        "languages": ["nl", "en"],
        "url": "https://www.example.org/bewonersinitiatieven",
    },
}
#: Dated back: the directory marks it "not checked for over a year".
STALE = "language_house"


def seed_directory(keeper, small_programme) -> dict[str, DirectoryEntry]:
    """The entries by key; added by ``keeper`` (a fund officer) on the first run only."""
    holland = Province.objects.get(code="NL-NH")
    entries = {}
    for key, spec in ENTRIES.items():
        existing = DirectoryEntry.objects.filter(name=spec["name"]).first()
        if existing is None:
            data = {k: v for k, v in spec.items() if k not in ("themes", "national")}
            data["themes"] = list(Theme.objects.filter(slug__in=spec["themes"]))
            data["province"] = None if spec.get("national") else holland
            data["programme"] = small_programme if key == "small" else None
            existing = directory_services.entry_create(actor=keeper, data=data)
        entries[key] = existing
    long_ago = timezone.now() - datetime.timedelta(days=430)
    DirectoryEntry.objects.filter(pk=entries[STALE].pk).update(checked_at=long_ago)
    return entries


def apply_from_referral(network, declined_title: str) -> None:
    """The coordinator applies at the programme a referral of ``declined_title`` names, with
    the answers already written (once)."""
    declined = Application.objects.get(
        network=network, title=declined_title, state=Application.State.DECLINED
    )
    referral = declined.referrals.filter(programme__isnull=False).first()
    if referral is None or referral.applications.exists():
        return
    coordinator = network.members.get(role=NetworkMember.Role.COORDINATOR).user
    services.application_start_from_referral(referral=referral, actor=coordinator)
