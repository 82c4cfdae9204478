from django.db import migrations


def leave_room_on_each_page(apps, schema_editor):
    """PostgreSQL: every daily scan rewrites each open alert (last seen, times seen). With room on the page
    the new version stays there and no index changes (a HOT update); a full page moves it and updates all
    seven indexes. Existing pages keep their fill until rewritten (VACUUM FULL)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE assessment_alert SET (fillfactor = 50)")


def fill_pages(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE assessment_alert RESET (fillfactor)")


class Migration(migrations.Migration):

    dependencies = [
        ("assessment", "0001_initial"),
    ]

    operations = [migrations.RunPython(leave_room_on_each_page, fill_pages)]
