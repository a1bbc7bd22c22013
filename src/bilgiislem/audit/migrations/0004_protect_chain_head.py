from django.db import migrations


def install(apps, schema_editor):
    from bilgiislem.audit.db import install_triggers

    install_triggers(schema_editor.connection)  # idempotent: adds the head's triggers


class Migration(migrations.Migration):
    """The chain head only moves forward one event at a time and is never deleted."""

    dependencies = [("audit", "0003_append_only_triggers")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
