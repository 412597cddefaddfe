"""Drafts not yet sent take the v2 contract text (the network's real legal form, the fund's
countersignature). Sent agreements keep the text they were sent with: it is frozen and signed."""

from django.db import migrations


def drafts_to_v2(apps, schema_editor):
    Agreement = apps.get_model("agreements", "Agreement")
    Agreement.objects.filter(state="draft", template_version="v1").update(template_version="v2")


class Migration(migrations.Migration):
    dependencies = [("agreements", "0002_fund_countersigns")]

    operations = [migrations.RunPython(drafts_to_v2, migrations.RunPython.noop)]
