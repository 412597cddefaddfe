import pytest


@pytest.fixture
def message_templates(settings, tmp_path):
    """A message template pair of the tests' own: ``tests/ping``."""
    folder = tmp_path / "templates" / "tests"
    folder.mkdir(parents=True)
    (folder / "ping_subject.txt").write_text(
        "{% load i18n %}{% translate 'Messages' %}: {{ what }}"
    )
    (folder / "ping.txt").write_text("{{ what }} happened. Look: {{ link }}")
    engine = {
        **settings.TEMPLATES[0],
        "DIRS": [str(tmp_path / "templates"), *settings.TEMPLATES[0]["DIRS"]],
    }
    settings.TEMPLATES = [engine]
    return "tests/ping"
