from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "sikumi.supervision"
    verbose_name = _("Pelayanan dan pengawasan koperasi")
