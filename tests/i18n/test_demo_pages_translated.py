"""The demo's volunteer pages in Turkish and Arabic: every text of ours is translated.

The journey (``journey.py``) walks a small world of its own; the demo has more on its pages —
a contact person at the fund, a history, a decline with referrals from the directory, a warm
referral's draft, a helper — so this walks the demo as its volunteers see it, with the same
recorder, and names every text that would fall back to Dutch.
"""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from applications.models import Application, NetworkMember
from tests.i18n import journey as journeys
from tests.i18n.test_journey_translated import described

pytestmark = pytest.mark.django_db

#: The demo's volunteers: coordinators, a member, and a helper.
VOLUNTEERS = ("anna", "bram", "eva", "gijs", "ayse", "sanne")


@pytest.fixture(autouse=True)
def dutch_first(settings):
    settings.LANGUAGE_CODE = "nl"


def volunteer_paths(username: str) -> list[str]:
    """The person's own pages: the dashboard, their networks, and each application they see
    with its steps."""
    paths = [reverse("dashboard"), reverse("notification_list"), reverse("account")]
    members = NetworkMember.objects.filter(user__username=username)
    paths += [reverse("network_detail", args=[m.network_id]) for m in members]
    mine = Application.objects.filter(network__members__user__username=username) | (
        Application.objects.filter(helpers__user__username=username)
    )
    for application in mine.distinct():
        paths.append(reverse("application_detail", args=[application.pk]))
        paths += [
            reverse("step_detail", args=[application.pk, step.key])
            for step in application.steps.exclude(status="locked")
        ]
    return paths


def walk_the_demo(language: str) -> journeys.Journey:
    journey = journeys.Journey(language)
    with journeys.recording(journey):
        for username in VOLUNTEERS:
            client = Client()
            client.cookies["django_language"] = language
            client.force_login(get_user_model().objects.get(username=username))
            session = client.session
            session["notifications.language"] = language
            session.save()
            for path in volunteer_paths(username):
                journey.place = f"{username} {path}"
                assert client.get(path).status_code == 200, journey.place
    return journey


def test_the_demos_volunteer_pages_have_no_untranslated_text():
    call_command("demo", stdout=StringIO())  # once, for both languages: it takes a while
    failures = []
    for language in ("tr", "ar"):
        journey = walk_the_demo(language)
        assert len(journey.ours()) > 150  # it really walked
        if missing := journey.untranslated():
            failures.append(
                f"{len(missing)} texts on the demo's volunteer pages have no {language} "
                f"translation:\n{described(journey, missing)}"
            )
    assert not failures, "\n".join(failures)
