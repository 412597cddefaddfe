"""The README's walk-through names buttons, links and tabs as the screens say them (*in italics*).

Every italic name in "Walking through it by hand", "Agreements, for fund officers" and "Nobody
leaves empty-handed" must be a
text the screens show: a translation in the Dutch catalogue (what the Dutch screens say), an
English source text (what the English screens say), or a name from the demo's data (a
programme, an application, a pool). A screen text renamed without the README fails here.
"""

import re
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = (
    "Walking through it by hand",
    "Agreements, for fund officers",
    "Nobody leaves empty-handed: referrals, eligibility, helpers and languages",
)
#: Where the demo's names (programmes, applications, pools, people) are written.
DEMO_SOURCES = (
    "demo/management/commands/demo.py",
    "demo/pools.py",
    "demo/directory.py",
    "demo/helping.py",
)


def section(readme: str, heading: str) -> str:
    start = readme.index(f"\n## {heading}\n")
    end = readme.find("\n## ", start + 1)
    return readme[start : end if end != -1 else None]


def normalised(text: str) -> str:
    """Case, spacing and a closing colon or ellipsis do not make another name."""
    return " ".join(text.split()).casefold().rstrip(":…. ")


def italic_names() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = []
    for heading in SECTIONS:
        text = section(readme, heading)
        text = re.sub(r"\*\*.+?\*\*", "", text, flags=re.DOTALL)  # bold is emphasis, not a name
        text = re.sub(r"`[^`]*`", "", text)
        names += [
            " ".join(m.split()) for m in re.findall(r"(?<![*\w])\*([^*\n][^*]*?)\*(?!\*)", text)
        ]
    return list(dict.fromkeys(names))


def screen_texts() -> set[str]:
    catalogue = polib.pofile(str(ROOT / "locale/nl/LC_MESSAGES/django.po"))
    texts = set()
    for entry in catalogue:
        if entry.obsolete:
            continue
        texts.add(normalised(entry.msgid))
        if entry.msgstr and "fuzzy" not in entry.flags:
            texts.add(normalised(entry.msgstr))
        for form in (entry.msgstr_plural or {}).values():
            texts.add(normalised(form))
    return texts


def demo_text() -> str:
    return normalised(" ".join((ROOT / path).read_text(encoding="utf-8") for path in DEMO_SOURCES))


def test_the_walkthrough_quotes_screen_names():
    names = italic_names()
    assert len(names) > 20  # the sections are found, and their names read
    assert "Werkvoorraad" in names


@pytest.mark.parametrize("name", italic_names())
def test_every_name_the_walkthrough_quotes_is_on_a_screen(name):
    shown = normalised(name) in screen_texts() or f'"{normalised(name)}"' in demo_text()
    assert shown, f"README names *{name}*, but no screen or demo data says it"
