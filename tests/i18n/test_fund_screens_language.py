"""The fund's screens and contracts stay Dutch and English; the volunteer's pages follow the
person's language, Arabic right to left."""

import importlib.util
import re
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from config import languages
from notifications.models import Preference

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def dutch_first(settings):
    settings.LANGUAGE_CODE = "nl"


def reading(client, user, language):
    Preference.objects.update_or_create(user=user, defaults={"language": language})
    client.force_login(user)  # the sign-in puts the stored language in the session
    client.cookies["django_language"] = language
    return client


def html_tag(response) -> str:
    assert response.status_code == HTTPStatus.OK
    return re.search(r"<html[^>]*>", response.content.decode()).group(0)


#: Left to right is the default: only Arabic says its direction.
TAGS = {
    "nl": '<html lang="nl">',
    "en": '<html lang="en">',
    "tr": '<html lang="tr">',
    "ar": '<html lang="ar" dir="rtl">',
}


@pytest.mark.parametrize("language", TAGS)
def test_the_volunteers_pages_are_in_their_language_arabic_right_to_left(client, world, language):
    tag = TAGS[language]
    reading(client, world.member, language)
    assert html_tag(client.get(reverse("home"))) == tag
    assert html_tag(client.get(reverse("application_detail", args=[world.application.pk]))) == tag
    assert response_language(client.get(reverse("dashboard"))) == language


def response_language(response) -> str:
    return response.headers["Content-Language"]


@pytest.mark.parametrize("language", ["tr", "ar"])
def test_the_funds_screens_stay_dutch_for_a_person_who_reads_turkish_or_arabic(
    client, world, language
):
    reading(client, world.manager, language)
    pages = [
        reverse("queue"),
        reverse("programme_dashboard", args=[world.programme.slug]),
        reverse("pool_list"),
        reverse("application_detail", args=[world.application.pk]),  # reviewing it
        reverse("step_detail", args=[world.application.pk, "idea"]),
    ]
    for page in pages:
        response = client.get(page)
        assert html_tag(response) == TAGS["nl"], page
        assert response_language(response) == "nl"
    # Outside the fund's screens the person's own language is kept.
    assert html_tag(client.get(reverse("home"))) == TAGS[language]


def test_english_stays_english_on_the_funds_screens(client, world):
    reading(client, world.officer, "en")
    assert response_language(client.get(reverse("queue"))) == "en"


def test_the_funds_workflow_actions_stay_dutch_the_networks_follow_its_language(client, world):
    from tests.applications.helpers import submit_current_step

    submit_current_step(world)
    reading(client, world.officer, "ar")
    decline = reverse("application_transition", args=[world.application.pk, "decline"])
    assert response_language(client.get(decline)) == "nl"
    reading(client, world.coordinator, "ar")
    withdraw = reverse("application_transition", args=[world.application.pk, "withdraw"])
    assert response_language(client.get(withdraw)) == "ar"


def test_the_fund_side_actions_are_read_from_the_actions_registry():
    assert languages.fund_actions() == {"request_changes", "accept_step", "award", "decline"}


def test_every_listed_fund_module_exists_or_its_app_has_no_views_yet():
    for module in languages.FUND_VIEW_MODULES:
        app = module.split(".")[0]
        assert importlib.util.find_spec(module) or not importlib.util.find_spec(f"{app}.views"), (
            module
        )


def test_a_contract_is_written_only_in_dutch_or_english(settings):
    from agreements.models import Agreement

    field = Agreement._meta.get_field("language")
    assert [code for code, _name in field.choices] == ["nl", "en"]
    assert [code for code, _name in field.choices] == [c for c, _n in settings.FUND_LANGUAGES]
    agreement = Agreement(language="ar")
    with pytest.raises(ValidationError) as refused:
        agreement.clean_fields(
            exclude=[f.name for f in Agreement._meta.fields if f.name != "language"]
        )
    assert "language" in refused.value.message_dict


def test_the_language_choices_name_each_language_in_itself(client, world):
    reading(client, world.member, "ar")
    content = client.get(reverse("account")).content.decode()
    for name in ("Nederlands", "English", "Türkçe", "العربية"):
        assert f">{name}</option>" in content


def test_officers_see_in_which_language_the_network_works(client, world, settings):
    settings.LANGUAGE_CODE = "en"
    world.network.language = "tr"
    world.network.save()
    from tests.applications.helpers import submit_current_step

    submit_current_step(world)  # so that it waits in the officer's work queue
    reading(client, world.officer, "en")
    detail = client.get(reverse("application_detail", args=[world.application.pk]))
    assert "Works in: Turkish" in detail.content.decode()
    assert "Works in: Turkish" in client.get(reverse("queue")).content.decode()
