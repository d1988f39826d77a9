"""A first history record for every record written before the history was
kept (migration 0011), so that the first correction of an older event, or an
edit conflict over it, has a "before" to compare with. Records that already
have a history are left alone; on a new database this writes nothing."""

from django.db import migrations
from django.utils import timezone

TRACKED = ["Actor", "Source", "Event", "Participation", "Quote", "TimelineTitle"]
BATCH = 2000


def record_baseline(apps, schema_editor):
    now = timezone.now()
    for name in TRACKED:
        model = apps.get_model("timeline", name)
        historical = apps.get_model("timeline", f"Historical{name}")
        copied = [
            field.attname
            for field in historical._meta.concrete_fields
            if not field.name.startswith("history_")
        ]
        recorded = historical.objects.values("id")
        rows = []
        for record in model.objects.exclude(pk__in=recorded).iterator(chunk_size=BATCH):
            rows.append(
                historical(
                    **{attname: getattr(record, attname) for attname in copied},
                    history_date=now,
                    history_type="+",
                    history_change_reason="As it stood when the history began",
                )
            )
            if len(rows) == BATCH:
                historical.objects.bulk_create(rows)
                rows = []
        historical.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [("timeline", "0014_event_version")]

    operations = [migrations.RunPython(record_baseline, migrations.RunPython.noop)]
