"""Every text of the volunteer's journey is translated into each of its languages.

The journey (tests/i18n/journey.py) walks the pages and renders the e-mails a network member
gets, recording each text looked up. A text missing from the Turkish or Arabic catalogue would
show in Dutch (Django's fallback), which is easy to miss by eye: this test names it.
"""

import functools
import json
import os
from pathlib import Path

import pytest

from tests.i18n import journey as journeys

pytestmark = pytest.mark.django_db

#: The languages of the volunteer's journey (settings.LANGUAGES): Dutch is the source catalogue.
JOURNEY_LANGUAGES = ("nl", "tr", "ar")


@pytest.fixture(autouse=True)
def dutch_first(settings):
    """As in production: Dutch is the fallback (the test settings default to English)."""
    settings.LANGUAGE_CODE = "nl"


@functools.cache
def walk(language):
    """One walk per language for all tests here: what it recorded is plain data."""
    return journeys.walk(language)


def described(journey, lookups) -> str:
    lines = []
    for lookup in sorted(lookups, key=lambda item: (journey.seen_at[item], item.msgid)):
        context = f" [context {lookup.msgctxt!r}]" if lookup.msgctxt else ""
        lines.append(f"  {lookup.msgid!r}{context}  (at {journey.seen_at[lookup]})")
    return "\n".join(lines)


@pytest.mark.parametrize("language", JOURNEY_LANGUAGES)
def test_every_text_of_the_volunteers_journey_is_translated(language):
    journey = walk(language)
    assert len(journey.ours()) > 100  # the journey really walked and recorded
    missing = journey.untranslated()
    assert not missing, (
        f"{len(missing)} texts of the volunteer's journey have no {language} translation "
        f"(locale/{language}/LC_MESSAGES/django.po):\n{described(journey, missing)}"
    )


@pytest.mark.parametrize("language", JOURNEY_LANGUAGES)
def test_a_network_member_gets_every_email_in_their_language(language):
    journey = walk(language)
    assert not journey.mails_in_another_language, (
        f"E-mails to a member reading {language} came in Dutch:\n  "
        + "\n  ".join(journey.mails_in_another_language)
    )


def test_the_journeys_texts_can_be_listed_for_translators(tmp_path):
    """JOURNEY_MSGIDS=/path writes the journey's texts with their Dutch, for translators; the
    texts of ours that the Dutch catalogue does not have yet go beside it (``*_new.json``)."""
    import polib

    journey = walk("nl")
    catalogue = {
        (e.msgctxt or "", e.msgid): e
        for e in polib.pofile(str(journeys.ROOT / "locale/nl/LC_MESSAGES/django.po"))
        if not e.obsolete
    }
    listed, new = [], []
    for lookup in sorted(journey.lookups, key=lambda item: (item.msgctxt, item.msgid)):
        entry = catalogue.get(lookup.key)
        if entry is None:
            if lookup.key in journeys.project():
                new.append(row_of(lookup.msgid, lookup.msgctxt, lookup.msgid_plural))
            continue
        row = row_of(entry.msgid, entry.msgctxt, entry.msgid_plural)
        if entry.msgid_plural:
            row["nl"] = [entry.msgstr_plural[0], entry.msgstr_plural[1]]
        else:
            row["nl"] = entry.msgstr
        listed.append(row)
    assert len(listed) > 100
    target = Path(os.environ.get("JOURNEY_MSGIDS") or tmp_path / "journey_msgids.json")
    target.write_text(json.dumps(listed, ensure_ascii=False, indent=1), encoding="utf-8")
    beside = target.with_name(f"{target.stem}_new.json")
    beside.write_text(json.dumps(new, ensure_ascii=False, indent=1), encoding="utf-8")


def row_of(msgid: str, msgctxt: str | None, msgid_plural: str | None) -> dict:
    row = {"msgid": msgid}
    if msgctxt:
        row["msgctxt"] = msgctxt
    if msgid_plural:
        row["msgid_plural"] = msgid_plural
    return row
