"""The four default steps are the heart of the volunteer's journey: every text of them is there in
each language of the site, and a page in Turkish or Arabic shows it."""

import pytest
from django.conf import settings
from django.utils import translation

from funds.default_steps import DEFAULT_STEPS
from funds.questions import localized


def texts(value):
    if isinstance(value, dict) and "en" in value and "nl" in value:
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from texts(item)


def test_every_default_step_text_is_in_every_language_of_the_site():
    languages = {code for code, _name in settings.LANGUAGES}
    missing = [
        text["en"] for text in texts(DEFAULT_STEPS) if languages - {k for k, v in text.items() if v}
    ]
    assert not missing, missing


@pytest.mark.parametrize(("language", "idea"), [("tr", "Fikir"), ("ar", "الفكرة"), ("nl", "Idee")])
def test_a_step_title_reads_in_the_active_language(language, idea):
    with translation.override(language):
        assert localized(DEFAULT_STEPS[0]["title"]) == idea
