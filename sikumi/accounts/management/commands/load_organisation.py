from django.core.management.base import BaseCommand

from sikumi.accounts.services import organisation_load


class Command(BaseCommand):
    help = "Load the Dinas' organisation units and the roles (existing units are kept)."

    def handle(self, *args: object, **options: object) -> None:
        created = organisation_load()
        self.stdout.write(f"Organisasi: {created} unit baru.")
