from django.db import migrations

from jiceng.audit import triggers


def install(apps, schema_editor):
    triggers.install(schema_editor.connection, [triggers.TABLE])


def drop(apps, schema_editor):
    triggers.drop(schema_editor.connection, [triggers.TABLE])


class Migration(migrations.Migration):
    """The database refuses UPDATE and DELETE on audit events (ARCHITECTURE §4)."""

    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(install, drop, elidable=False),
    ]
