"""The service types most networks ask for; funds add or switch off types in the admin."""

from django.db import migrations

DEFAULT_TYPES = [
    ("secretarial", "Secretariaat", "Secretarial support"),
    ("bookkeeping", "Boekhouding", "Bookkeeping"),
    ("logistics", "Logistiek", "Logistics"),
    ("communication", "Communicatie", "Communication"),
    ("legal_advice", "Juridisch advies", "Legal advice"),
    ("venue", "Ruimte en locatie", "Venue and space"),
]


def create(apps, schema_editor):
    ServiceType = apps.get_model("pools", "ServiceType")
    for order, (code, name, name_en) in enumerate(DEFAULT_TYPES, start=1):
        ServiceType.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "order": order}
        )


def remove(apps, schema_editor):
    apps.get_model("pools", "ServiceType").objects.filter(
        code__in=[code for code, _, _ in DEFAULT_TYPES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("pools", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
