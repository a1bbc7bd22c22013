from django.db import migrations


def install(apps, schema_editor):
    from bilgiislem.archive import db_records

    db_records.install(schema_editor.connection)


def uninstall(apps, schema_editor):
    from bilgiislem.archive import db_records

    db_records.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    """Triggers that refuse any change to an archived record's capture metadata and files,
    by any path, raw SQL included (archive/db_records.py)."""

    dependencies = [("archive", "0001_initial"), ("registry", "0004_search_index_prefixes")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
