from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "sikumi.supervision"
    verbose_name = _("Pelayanan dan pengawasan koperasi")

    def ready(self) -> None:
        from sikumi.accounts import access
        from sikumi.core import navigation
        from sikumi.supervision import inbox, integration

        internal = access.is_internal
        navigation.register(
            "koperasi", _("Layanan kelembagaan"), "supervision:case-list", internal, 30
        )
        navigation.register(
            "koperasi", _("Waktu layanan"), "supervision:service-time", internal, 35
        )
        navigation.register(
            "koperasi", _("Rencana pemeriksaan"), "supervision:plan-list", internal, 40
        )
        navigation.register(
            "koperasi", _("Pemeriksaan"), "supervision:inspection-list", internal, 45
        )
        navigation.register(
            "koperasi", _("Temuan dan tindak lanjut"), "supervision:finding-list", internal, 47
        )
        navigation.register(
            "koperasi", _("Penilaian kesehatan"), "supervision:assessment-list", internal, 50
        )
        navigation.register(
            "koperasi", _("Kalkulator kesehatan"), "supervision:calculator", internal, 55
        )
        integration.register()
        inbox.register()
