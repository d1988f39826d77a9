from django.apps import AppConfig
from django.db.models.signals import post_migrate


class TimelineConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "timeline"

    def ready(self):
        from .triggers import install_chart_triggers

        post_migrate.connect(install_chart_triggers, sender=self, dispatch_uid="chart-triggers")
