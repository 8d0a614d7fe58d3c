from django.core.management.base import BaseCommand

from sikumi.accounts.services import administrator_ensure


class Command(BaseCommand):
    help = "Create the first administrator with a generated password, printed once."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args: object, **options: object) -> None:
        password = administrator_ensure(username=str(options["username"]))
        if password is None:
            self.stdout.write("Administrator sudah ada.")
            return
        bar = "=" * 64
        self.stdout.write(
            f"\n{bar}\nAdministrator dibuat (hanya ditampilkan sekali):\n"
            f"  nama pengguna: {options['username']}\n  kata sandi  : {password}\n{bar}\n"
        )
