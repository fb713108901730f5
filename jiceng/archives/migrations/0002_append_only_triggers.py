from django.db import migrations

from jiceng.audit import triggers


def install(apps, schema_editor):
    triggers.install(schema_editor.connection, [triggers.ARCHIVE_TABLE])


def drop(apps, schema_editor):
    triggers.drop(schema_editor.connection, [triggers.ARCHIVE_TABLE])


class Migration(migrations.Migration):
    """The database refuses UPDATE and DELETE on archive records (R-ARCH-02)."""

    dependencies = [
        ("archives", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(install, drop, elidable=False),
    ]
