"""Short English words that Django translates too: our catalogue must not override Django's.

A context-less "May" in our catalogue (a key's permissions column, "Mag") replaced Django's
month name, so dates read "28 Mag 2027". Words that mean something else here carry a context.
"""

import datetime
from pathlib import Path

import polib
import pytest
from django.template import Context, Template
from django.utils import dates, translation

CATALOGUE = Path(__file__).resolve().parent.parent / "locale/nl/LC_MESSAGES/django.po"


def date_words() -> set[str]:
    """Every month and day name Django translates without a context, in English."""
    with translation.override("en"):
        return {
            str(word)
            for names in (dates.MONTHS, dates.MONTHS_3, dates.WEEKDAYS, dates.WEEKDAYS_ABBR)
            for word in names.values()
        }


def test_our_catalogue_has_no_context_less_may_translated_as_mag():
    catalogue = polib.pofile(str(CATALOGUE))
    mag = [e for e in catalogue if e.msgid == "May" and not e.msgctxt and not e.obsolete]
    assert mag == []


def test_the_key_permission_column_still_says_mag_through_a_context():
    catalogue = polib.pofile(str(CATALOGUE))
    entry = catalogue.find("May", msgctxt="what a key is allowed to do")
    assert entry is not None and entry.msgstr == "Mag"


def test_our_catalogue_overrides_no_month_or_day_name():
    catalogue = polib.pofile(str(CATALOGUE))
    words = date_words()
    assert {"May", "January", "Monday"} <= words
    overriding = [
        e.msgid
        for e in catalogue
        if not e.obsolete and not e.msgctxt and e.msgid in words and e.msgstr
    ]
    assert overriding == []


@pytest.mark.parametrize(("language", "expected"), [("nl", "28 mei 2027"), ("en", "28 May 2027")])
def test_a_date_in_may_names_the_month(language, expected):
    # Needs the compiled catalogue: passes once locale/nl is regenerated and compiled.
    template = Template('{{ day|date:"j F Y" }}')
    with translation.override(language):
        assert template.render(Context({"day": datetime.date(2027, 5, 28)})) == expected
