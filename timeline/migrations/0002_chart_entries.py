# The chart's counting table (models.ChartEntry). The triggers that keep it
# are installed, and the table re-synced, after every migrate: see
# timeline/triggers.py (a SQLite table rebuild in a later migration drops them).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('timeline', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='ChartEntry',
            fields=[
                ('participation_id', models.BigIntegerField(primary_key=True, serialize=False)),
                ('actor_id', models.BigIntegerField()),
                ('event_id', models.BigIntegerField()),
                ('kind', models.CharField(max_length=30)),
                ('day', models.DateField()),
                ('end', models.DateField(null=True)),
            ],
        ),
        migrations.AddIndex(
            model_name='event',
            index=models.Index(fields=['kind', 'start'], name='event_kind_day'),
        ),
        migrations.AddIndex(
            model_name='chartentry',
            index=models.Index(fields=['actor_id', 'kind', 'day', 'event_id'], name='chartentry_actor_day'),
        ),
    ]
