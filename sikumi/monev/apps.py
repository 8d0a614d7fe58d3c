from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonevConfig(AppConfig):
    name = "sikumi.monev"
    verbose_name = _("Monitoring dan evaluasi")

    def ready(self) -> None:
        from sikumi.accounts import access
        from sikumi.core import navigation
        from sikumi.monev import inbox

        internal = access.is_internal
        navigation.register("perencanaan", _("Renja"), "monev:renja-list", internal, 20)
        navigation.register(
            "perencanaan", _("Realisasi triwulan"), "monev:realisation", internal, 30
        )
        navigation.register(
            "perencanaan", _("Dasbor Kepala Dinas"), "monev:dashboard", internal, 10
        )
        navigation.register("laporan", _("Evaluasi Renja (E.81)"), "monev:report-e81", internal, 10)
        navigation.register("laporan", _("Laporan Kinerja"), "monev:report-lkjip", internal, 20)
        navigation.register(
            "laporan", _("Riwayat kinerja 2016-2020"), "monev:report-history", internal, 30
        )
        inbox.register()
