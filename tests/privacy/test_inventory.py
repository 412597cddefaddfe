"""Every personal field of the models is explained: on the privacy page and in docs/privacy.md."""

from http import HTTPStatus
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import translation

from privacy.inventory import INVENTORY

pytestmark = pytest.mark.django_db

DOCS = Path(settings.BASE_DIR) / "docs" / "privacy.md"
OUR_APPS = (
    "core",
    "notifications",
    "funds",
    "directory",
    "applications",
    "agreements",
    "pools",
    "integrations",
    "api",
    "privacy",
)
PERSONAL_NAMES = {
    "first_name",
    "last_name",
    "contact_name",
    "contact_phone",
    "payee_name",
    "host_representative_name",
    "typed_name",
    "date_of_birth",
    "address",
    "phone",
    "iban",
    "user_agent",
}


def is_personal(field) -> bool:
    if isinstance(field, models.ForeignKey | models.OneToOneField):
        return field.related_model is apps.get_model(settings.AUTH_USER_MODEL)
    return isinstance(field, models.EmailField | models.GenericIPAddressField) or (
        field.name in PERSONAL_NAMES
    )


def personal_fields() -> set[str]:
    return {
        f"{model._meta.label}.{field.name}"
        for app in OUR_APPS
        for model in apps.get_app_config(app).get_models()
        for field in model._meta.get_fields()
        if field.concrete and is_personal(field)
    }


def listed() -> set[str]:
    return {name for entry in INVENTORY for name in entry.fields}


def test_every_personal_field_of_the_models_is_in_the_inventory():
    assert personal_fields() - listed() == set()


def test_every_field_in_the_inventory_exists():
    for name in listed():
        label, field = name.rsplit(".", 1)
        apps.get_model(label)._meta.get_field(field)


def test_docs_privacy_md_names_every_field_of_the_inventory():
    text = DOCS.read_text()
    assert {name for name in listed() if f"`{name}`" not in text} == set()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_privacy_page_is_open_to_everyone(client, language):
    with translation.override(language):
        response = client.get(reverse("privacy"), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == HTTPStatus.OK
    assert response.text.count("<tr>") >= len(INVENTORY)
