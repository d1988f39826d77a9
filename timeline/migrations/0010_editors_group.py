"""Publishing becomes a permission of its own, and the "Editors" group gets
the timeline's editorial models and nothing else (no users, no groups)."""

import django.db.models.functions.comparison
from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Editors"
# The records editors write. ChartEntry and DataVersion are kept by the
# database and the app, never edited by hand.
EDITORIAL_MODELS = ["actor", "source", "event", "participation", "quote", "timelinetitle"]
ACTIONS = ["add", "change", "delete", "view"]


def create_editors(apps, schema_editor):
    # On a fresh database the permissions are only made after the last
    # migration (post_migrate); make this app's now, publish_event included.
    app_config = apps.get_app_config("timeline")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [f"{action}_{model}" for model in EDITORIAL_MODELS for action in ACTIONS]
    codenames.append("publish_event")
    permissions = Permission.objects.filter(
        content_type__app_label="timeline", codename__in=codenames
    )
    assert permissions.count() == len(codenames), "timeline permissions missing"
    group, _ = Group.objects.get_or_create(name=EDITORS)
    group.permissions.add(*permissions)


def remove_editors(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=EDITORS).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("timeline", "0009_published_partial_indexes"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="event",
            options={
                "ordering": [
                    "start",
                    django.db.models.functions.comparison.Coalesce("end", "start"),
                    "title",
                ],
                "permissions": [("publish_event", "Can publish events")],
            },
        ),
        migrations.RunPython(create_editors, remove_editors),
    ]
