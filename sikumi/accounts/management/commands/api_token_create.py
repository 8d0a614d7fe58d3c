from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sikumi.accounts.models import User
from sikumi.accounts.tokens import token_create


class Command(BaseCommand):
    help = "Create an API token for a user; the token is printed once (only its hash is kept)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="What the token is for.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"Pengguna aktif tidak ditemukan: {options['username']}")
        _token, key = token_create(user=user, name=options["name"])
        self.stdout.write(key)
        self.stderr.write("Simpan token ini sekarang: token tidak akan ditampilkan lagi.")
