"""Import of a training's attendance list (kind "training_participants").

The list is uploaded from the training's page (`?pelatihan=<id>`, the importer's target); each
row names a participant by NIK. A NIK held by a person in the registry adds that person; a NIK
nobody holds adds a new person when the row carries a name (and the user may add people to the
registry), and is refused otherwise. A person already registered for the training is a duplicate.
The same NIK column checks a NIK pasted on the training's page (`nik_problems`), so both ways
give the same messages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef
from django.urls import reverse

from sikumi.accounts import access
from sikumi.activities import choices as c
from sikumi.activities.models import Training, TrainingParticipant
from sikumi.activities.validators import participant_problems
from sikumi.enterprises.importer import parse_nik
from sikumi.enterprises.models import Enterprise, Person
from sikumi.enterprises.normalise import name_key
from sikumi.enterprises.selectors import invalidate_counts
from sikumi.imports.base import Column, Importer, RowContext, delete_in_chunks, register, text
from sikumi.rules.identifiers import mask_nik, nik_sex
from sikumi.rules.parsing import ParseError

LOOKUP_SIZE = 500


def choice_parser(choices: type[models.TextChoices], what: str) -> Callable[[Any], str]:
    """A cell holding one of the choices, by its code or its label (any case)."""
    known = {v.lower(): v for v in choices.values} | {
        str(label).lower(): v for v, label in choices.choices
    }
    labels = ", ".join(str(label) for label in choices.labels)

    def parse(value: Any) -> str:
        cell = text(value)
        found = known.get(cell.lower()) or known.get(cell.lower().replace(" ", "_"))
        if found is None:
            raise ParseError(f"{what} '{cell}' tidak dikenal (pilihan: {labels})")
        return found

    return parse


NIK_COLUMN = Column(
    "nik",
    "NIK",
    ("nik peserta", "no ktp", "nomor ktp", "nik ktp", "nomor induk kependudukan"),
    required=True,
    parse=parse_nik,
    model_field="enterprises.Person.nik",
    mask=mask_nik,
    example="3276014506850001",
    help="NIK peserta, 16 digit, ditulis sebagai teks.",
)


@register
class TrainingParticipantImporter(Importer):
    kind = "training_participants"
    label = "Peserta pelatihan"
    model = TrainingParticipant
    target_param = "pelatihan"
    chunk_size = 2000
    columns = [
        NIK_COLUMN,
        Column(
            "name",
            "Nama",
            ("nama peserta", "nama lengkap", "nama sesuai ktp"),
            model_field="enterprises.Person.name",
            empty="",
            example="Siti Aminah",
            help=(
                "Dipakai bila NIK belum terdaftar di Sikumi: orangnya ditambahkan dengan nama "
                "ini. Untuk NIK yang sudah terdaftar, nama di Sikumi tidak diubah."
            ),
        ),
        Column(
            "attendance",
            "Kehadiran",
            ("hadir", "status kehadiran", "absensi"),
            parse=choice_parser(c.Attendance, "Kehadiran"),
            model_field="activities.TrainingParticipant.attendance",
            empty=c.Attendance.HADIR.value,
            example="Hadir",
        ),
        Column(
            "outcome",
            "Hasil",
            ("hasil pelatihan", "keterangan lulus", "kelulusan"),
            parse=choice_parser(c.Outcome, "Hasil"),
            model_field="activities.TrainingParticipant.outcome",
            empty=c.Outcome.BELUM.value,
            example="Lulus",
        ),
        Column(
            "certificate_number",
            "Nomor Sertifikat",
            ("no sertifikat", "nomor sertifikat pelatihan"),
            model_field="activities.TrainingParticipant.certificate_number",
            empty="",
        ),
        Column(
            "notes",
            "Catatan",
            ("keterangan",),
            model_field="activities.TrainingParticipant.notes",
            empty="",
        ),
    ]
    dedup_keys = ("nik",)

    def __init__(self) -> None:
        super().__init__()
        self.may_add_people = False

    # -- the training imported into, and who imports
    def use_target(self, pk: Any, *, user: Any = None) -> None:
        from sikumi.enterprises.services import default_owner_unit

        self.user = user
        if pk is None:
            self.target = None
            return
        training = Training._base_manager.select_related("owner_unit__parent").filter(pk=pk).first()
        if training is None:
            raise LookupError(pk)
        self.target = training
        self.may_add_people = user is not None and access.can_create(
            user, Person, default_owner_unit()
        )

    def target_link(self) -> tuple[str, str] | None:
        if self.target is None:
            return None
        url = reverse("activities:training-detail", args=[self.target.pk]) + "#peserta"
        return str(self.target), url

    def can_import(self, user: Any) -> bool:
        if self.target is None:
            return access.can_create(user, TrainingParticipant)
        return access.can_edit(user, self.target)

    # -- rows
    def clean(self, data: dict[str, Any], values: dict[str, Any], row: RowContext) -> None:
        for field_name, messages in participant_problems(
            attendance=data["attendance"], outcome=data["outcome"]
        ).items():
            for message in messages:
                row.error(field_name, message)

    def existing_keys(self, key: str, values: list[str]) -> set[str]:
        """NIKs of people registered for the training already."""
        return {
            nik
            for nik in TrainingParticipant.objects.filter(
                training=self.target, archived_at__isnull=True, person__nik__in=values
            ).values_list("person__nik", flat=True)
            if nik
        }

    def duplicate_message(self, key: str, shown: str) -> str:
        return f"NIK {shown} sudah terdaftar sebagai peserta pelatihan ini"

    def _people(self, niks: list[str]) -> dict[str, tuple[int, bool]]:
        """NIK -> (person id, archived) of the people holding these NIKs."""
        found: dict[str, tuple[int, bool]] = {}
        for start in range(0, len(niks), LOOKUP_SIZE):
            for pk, nik, archived_at in Person._base_manager.filter(
                nik__in=niks[start : start + LOOKUP_SIZE]
            ).values_list("pk", "nik", "archived_at"):
                found[nik or ""] = (pk, archived_at is not None)
        return found

    def stored_problems(self, rows: list[tuple[int, Any]]) -> dict[int, tuple[str, str]]:
        people = self._people([data["nik"] for _number, data in rows])
        problems: dict[int, tuple[str, str]] = {}
        for number, data in rows:
            held = people.get(data["nik"])
            shown = mask_nik(data["nik"])
            if held is not None:
                if held[1]:
                    problems[number] = ("nik", f"NIK {shown} milik data orang yang diarsipkan")
            elif not data["name"]:
                problems[number] = (
                    "name",
                    f"NIK {shown} belum terdaftar di Sikumi; isi kolom Nama agar orangnya "
                    "ditambahkan",
                )
            elif not self.may_add_people:
                problems[number] = (
                    "nik",
                    f"NIK {shown} belum terdaftar di Sikumi, dan hanya Bidang pemilik data "
                    "pelaku usaha yang dapat menambah orang baru",
                )
        return problems

    def write(self, rows: list[dict[str, Any]], *, batch: Any, actor: Any) -> dict[str, int]:
        from sikumi.enterprises.services import default_owner_unit

        people = {
            nik: pk for nik, (pk, _archived) in self._people([r["nik"] for r in rows]).items()
        }
        new = [
            Person(
                nik=data["nik"],
                name=data["name"],
                name_key=name_key(data["name"]),  # bulk_create skips save()
                sex=nik_sex(data["nik"]) or "",
                owner_unit=default_owner_unit(),
                import_batch=batch,
            )
            for data in rows
            if data["nik"] not in people
        ]
        for person in Person.objects.bulk_create(new):
            people[person.nik or ""] = person.pk
        TrainingParticipant.objects.bulk_create(
            [
                TrainingParticipant(
                    training=self.target,
                    person_id=people[data["nik"]],
                    attendance=data["attendance"],
                    outcome=data["outcome"],
                    certificate_number=data["certificate_number"],
                    notes=data["notes"],
                    import_batch=batch,
                )
                for data in rows
            ]
        )
        written = {"peserta pelatihan": len(rows)}
        if new:
            written["orang baru"] = len(new)
            invalidate_counts()  # the registry's cached counts include people
        return written

    def revert(self, batch: Any) -> dict[str, int]:
        """The batch's participants, then the people it added unless they meanwhile own a
        business or take part in another training."""
        removed = {
            "peserta pelatihan": delete_in_chunks(
                TrainingParticipant._base_manager.filter(import_batch=batch)
            )
        }
        people = Person._base_manager.filter(import_batch=batch).exclude(
            Exists(Enterprise._base_manager.filter(owner=OuterRef("pk")))
        )
        people = people.exclude(
            Exists(TrainingParticipant._base_manager.filter(person=OuterRef("pk")))
        )
        removed["orang baru"] = delete_in_chunks(people)
        if removed["orang baru"]:
            invalidate_counts()
        return removed


class _NikOnly(Importer):
    """The import's NIK column alone: a pasted NIK goes through the same validation."""

    kind = "_nik"
    columns = [NIK_COLUMN]


def nik_problems(value: str) -> tuple[str | None, list[str]]:
    """A NIK as typed or pasted, checked by the import's NIK column: (the NIK, []) or
    (None, the messages)."""
    row = RowContext(0, {})
    data = _NikOnly().validate({"nik": value.strip() or None}, row)
    if row.errors or data is None:
        return None, [e["message"] for e in row.errors]
    return data["nik"], []
