from django.db import migrations


def install(apps, schema_editor):
    from bilgiislem.audit.db import install_triggers

    install_triggers(schema_editor.connection)


def drop(apps, schema_editor):
    from bilgiislem.audit.db import drop_triggers

    drop_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    """The database itself refuses UPDATE and DELETE on audit events (DESIGN.md invariant 1)."""

    dependencies = [("audit", "0002_auditevent_actor")]

    operations = [migrations.RunPython(install, drop)]
