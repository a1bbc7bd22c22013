from django.db import migrations


def install(apps, schema_editor):
    from bilgiislem.registry.search import install_index

    install_index(schema_editor.connection)


def drop(apps, schema_editor):
    from bilgiislem.registry.search import drop_index

    drop_index(schema_editor.connection)


class Migration(migrations.Migration):
    """Full-text index over Document.search_text (issue 3, point 10).

    SQLite: an FTS5 external-content table kept current by triggers; PostgreSQL: a GIN
    expression index on to_tsvector('simple', search_text). The text is folded in Python
    (core.text.fold) before it reaches either engine, so Turkish İ/I/ı/ş… match reliably.
    """

    dependencies = [("registry", "0001_initial")]

    operations = [migrations.RunPython(install, drop, elidable=False)]
