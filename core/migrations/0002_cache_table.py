"""The table of Django's database cache, where every worker and host counts throttles.

Created here so that `migrate` is enough on a fresh clone and in CI (what `createcachetable`
would do, with the same columns and index). The name is fixed: config/settings/base.py's
CACHES points at it. Where the table exists already (made by `createcachetable`), nothing
happens.
"""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

TABLE = "eigenwijs_cache"


def create(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop(apps, schema_editor):
    if TABLE in schema_editor.connection.introspection.table_names():
        schema_editor.execute(f"DROP TABLE {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
