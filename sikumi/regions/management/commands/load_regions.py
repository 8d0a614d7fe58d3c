from django.conf import settings
from django.core.management.base import BaseCommand

from sikumi.regions.services import boundaries_load, regions_load


class Command(BaseCommand):
    help = (
        "Load Indonesian region codes (Kemendagri) and the instance's kecamatan/kelurahan "
        "boundaries. By default all 91.599 codes; --only-instance loads just the configured "
        "kab/kota."
    )

    def add_arguments(self, parser):
        parser.add_argument("--only-instance", action="store_true")

    def handle(self, *args: object, **options: object) -> None:
        only = settings.SIKUMI_REGION_CODE if options["only_instance"] else None
        created = regions_load(only=only)
        updated = boundaries_load()
        self.stdout.write(f"Wilayah: {created} kode baru, {updated} batas wilayah dimuat.")
