from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CorrespondenceConfig(AppConfig):
    name = "bilgiislem.correspondence"
    label = "correspondence"
    verbose_name = _("Official correspondence")

    def ready(self):
        # The archive may not import this app: it announces disposals with a signal.
        from bilgiislem.archive.signals import records_disposed

        from .disposal import on_records_disposed

        records_disposed.connect(on_records_disposed, dispatch_uid="correspondence.disposal")
