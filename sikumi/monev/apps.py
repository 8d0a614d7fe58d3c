from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonevConfig(AppConfig):
    name = "sikumi.monev"
    verbose_name = _("Monitoring dan evaluasi")
