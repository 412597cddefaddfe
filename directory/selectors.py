"""Who sees the referral directory, and the reads its pages and the decline form share.

Fund staff see every entry (the directory is shared by every fund); everybody else sees none,
so its pages answer 404 to them. Who may change an entry is ``directory.permissions``.
"""

from django.db.models import Q, QuerySet

from .models import DirectoryEntry
from .permissions import is_fund_staff


def can_see_directory(user) -> bool:
    return is_fund_staff(user)


def entry_list(
    user,
    *,
    province_id=None,
    theme_id=None,
    kind: str = "",
    text: str = "",
    only_stale: bool = False,
) -> QuerySet[DirectoryEntry]:
    """The entries this person may see, filtered as on the directory page.

    A province or theme filter also keeps the entries that serve the whole country or every
    theme: the same rule the decline form uses (``DirectoryEntry.objects.for_region_and_themes``).
    """
    if not can_see_directory(user):
        return DirectoryEntry.objects.none()
    entries = DirectoryEntry.objects.for_region_and_themes(
        province_id=province_id, theme_ids=[theme_id] if theme_id else ()
    )
    if kind:
        entries = entries.filter(kind=kind)
    for word in (text or "").split():
        entries = entries.filter(
            Q(name__icontains=word)
            | Q(offer__icontains=word)
            | Q(contact_name__icontains=word)
            | Q(place__icontains=word)
            | Q(neighbourhood__icontains=word)
        )
    if only_stale:
        entries = entries.stale()
    return with_details(entries)


def with_details(entries: QuerySet[DirectoryEntry]) -> QuerySet[DirectoryEntry]:
    """What a card shows: province, themes, the programme and who last checked it."""
    return entries.select_related("province", "programme", "checked_by").prefetch_related("themes")


def entries_for_network(
    *, province_id=None, place: str = "", theme_ids=(), show_all: bool = False
) -> QuerySet[DirectoryEntry]:
    """The entries a decline offers: for the network's province and the application's themes
    (or, with ``show_all``, every entry), the same place as the network first, then its
    province, then the whole country."""
    entries = DirectoryEntry.objects.all()
    if not show_all:
        entries = entries.for_region_and_themes(province_id=province_id, theme_ids=theme_ids)
    return with_details(entries.nearest_first(province_id=province_id, place=place))
