"""Dutch is the default language: every text in the code must have a Dutch translation."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import require_or_skip

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = Path("locale/nl/LC_MESSAGES/django.po")
SKIP_DIRS = {".venv", ".git", "staticfiles", "media", "node_modules", "docs", "build"}


@pytest.fixture(scope="module")
def fresh_catalogue(tmp_path_factory):
    """Run makemessages on a copy of the project, so the working tree is never touched."""
    require_or_skip(
        shutil.which("xgettext") is not None and shutil.which("msgfmt") is not None,
        "needs GNU gettext (apt-get install gettext) to run makemessages",
    )
    copy = tmp_path_factory.mktemp("project") / "eigenwijs"
    shutil.copytree(ROOT, copy, ignore=lambda d, names: [n for n in names if n in SKIP_DIRS])
    for command in (
        ["makemessages", "-l", "nl", "--no-obsolete", "--no-location", "--ignore=tests"],
        ["compilemessages", "-l", "nl"],
    ):
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=copy, check=True, capture_output=True
        )
    return copy


def test_makemessages_leaves_no_untranslated_or_fuzzy_dutch_string(fresh_catalogue):
    import polib

    catalogue = polib.pofile(str(fresh_catalogue / CATALOGUE))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not untranslated, f"{len(untranslated)} untranslated: {untranslated[:20]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy: {fuzzy[:20]}"


def test_committed_catalogue_is_current(fresh_catalogue):
    import polib

    committed = polib.pofile(str(ROOT / CATALOGUE))
    fresh = polib.pofile(str(fresh_catalogue / CATALOGUE))
    assert {e.msgid for e in committed if not e.obsolete} == {e.msgid for e in fresh}
    compiled = ROOT / CATALOGUE.with_suffix(".mo")
    assert compiled.read_bytes() == (fresh_catalogue / CATALOGUE.with_suffix(".mo")).read_bytes(), (
        "run `make messages` to recompile locale/nl"
    )
