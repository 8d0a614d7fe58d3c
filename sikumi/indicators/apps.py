from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "sikumi.indicators"
    verbose_name = _("Indikator terhitung")

    def ready(self) -> None:
        from sikumi.accounts import access
        from sikumi.core import navigation
        from sikumi.indicators.tasks import connect_signals

        connect_signals()
        from sikumi.indicators.selectors import monev_figures
        from sikumi.monev import computed

        computed.register(monev_figures)

        navigation.register(
            "perencanaan", _("Indikator dari data"), "indicators:list", access.is_internal, 40
        )
        navigation.register(
            "perencanaan", _("Peta indikator"), "indicators:map", access.is_internal, 41
        )
        navigation.register(
            "perencanaan", _("Angka dari luar Dinas"), "indicators:manual", access.is_internal, 42
        )
        navigation.register(
            "perencanaan",
            _("Indikator Dinas (di luar Renstra)"),
            "indicators:custom-list",
            access.is_internal,
            43,
        )
