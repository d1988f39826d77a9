from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate


class TimelineConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "timeline"

    def ready(self):
        from .triggers import drop_chart_triggers, install_chart_triggers

        # Migrations run without the chart's triggers (see triggers.py).
        pre_migrate.connect(drop_chart_triggers, sender=self, dispatch_uid="chart-triggers-off")
        post_migrate.connect(install_chart_triggers, sender=self, dispatch_uid="chart-triggers")
