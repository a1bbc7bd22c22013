from django.db import migrations


def install(apps, schema_editor):
    from bilgiislem.archive import db_disposal

    db_disposal.install(schema_editor.connection)


def uninstall(apps, schema_editor):
    from bilgiislem.archive import db_disposal

    db_disposal.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    """Triggers that refuse disposal of held or keep-permanently records and any disposal
    not backed by an approved list, raw SQL included (archive/db_disposal.py)."""

    dependencies = [("archive", "0002_record_triggers")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
