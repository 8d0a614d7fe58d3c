"""Import of a training's attendance list (kind "training_participants") and of a promotion
event's participants (kind "event_participants").

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
from sikumi.activities.models import EventParticipant, PromotionEvent, Training, TrainingParticipant
from sikumi.activities.validators import participant_problems
from sikumi.enterprises.importer import parse_nib, parse_nik
from sikumi.enterprises.models import Enterprise, Person
from sikumi.enterprises.normalise import name_key
from sikumi.enterprises.selectors import invalidate_counts
from sikumi.imports.base import Column, Importer, RowContext, delete_in_chunks, register, text
from sikumi.rules.identifiers import mask_nik, nik_sex
from sikumi.rules.parsing import ParseError, parse_number

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


_CHECKERS: dict[int, Importer] = {}


def _checker(column: Column) -> Importer:
    """An importer of this one column (kept: its model field is resolved once)."""
    if id(column) not in _CHECKERS:
        one = type("OneColumn", (Importer,), {"kind": "_column", "columns": [column]})
        _CHECKERS[id(column)] = one()
    return _CHECKERS[id(column)]


def column_problems(column: Column, value: str) -> tuple[Any, list[str]]:
    """A value as typed or pasted, checked by an import's column: (the value, []) or
    (None, the messages)."""
    row = RowContext(0, {})
    data = _checker(column).validate({column.field: value.strip() or None}, row)
    if row.errors or data is None:
        return None, [e["message"] for e in row.errors]
    return data[column.field], []


def nik_problems(value: str) -> tuple[str | None, list[str]]:
    """A NIK checked by the attendance-list import's NIK column."""
    return column_problems(NIK_COLUMN, value)


def _enterprises_by_nib(nibs: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(nibs), LOOKUP_SIZE):
        for pk, nib in (
            Enterprise.objects.active()
            .filter(nib__in=nibs[start : start + LOOKUP_SIZE])
            .values_list("pk", "nib")
        ):
            found[nib or ""] = pk
    return found


def _enterprises_by_owner_nik(niks: list[str]) -> dict[str, list[int]]:
    """Owner NIK -> the ids of their active businesses."""
    found: dict[str, list[int]] = {}
    for start in range(0, len(niks), LOOKUP_SIZE):
        for pk, nik in (
            Enterprise.objects.active()
            .filter(owner__nik__in=niks[start : start + LOOKUP_SIZE])
            .order_by("pk")
            .values_list("pk", "owner__nik")
        ):
            found.setdefault(nik or "", []).append(pk)
    return found


NIB_COLUMN = Column(
    "nib",
    "NIB",
    ("nomor induk berusaha", "nib usaha"),
    parse=parse_nib,
    model_field="enterprises.Enterprise.nib",
    example="9120001234567",
    help="NIB usaha peserta, 13 digit. Isi NIB atau NIK pemilik.",
)
OWNER_NIK_COLUMN = Column(
    "owner_nik",
    "NIK Pemilik",
    ("nik", "nik pemilik usaha", "no ktp pemilik"),
    parse=parse_nik,
    model_field="enterprises.Person.nik",
    mask=mask_nik,
    help="Dipakai bila NIB kosong; pemilik harus punya tepat satu usaha terdaftar.",
)


@register
class EventParticipantImporter(Importer):
    """A promotion event's participants list (kind "event_participants"): each row names a
    business by its NIB or by its owner's NIK (when the owner has one business)."""

    kind = "event_participants"
    label = "Peserta kegiatan promosi"
    model = EventParticipant
    target_param = "kegiatan"
    chunk_size = 2000
    columns = [
        NIB_COLUMN,
        OWNER_NIK_COLUMN,
        Column(
            "sales",
            "Penjualan (Rp)",
            ("penjualan", "omzet kegiatan", "nilai penjualan", "transaksi"),
            parse=parse_number,
            model_field="activities.EventParticipant.sales",
            example="2500000",
        ),
        Column(
            "notes",
            "Catatan",
            ("keterangan",),
            model_field="activities.EventParticipant.notes",
            empty="",
        ),
    ]
    dedup_keys = ("nib", "owner_nik")

    def use_target(self, pk: Any, *, user: Any = None) -> None:
        self.user = user
        if pk is None:
            self.target = None
            return
        event = (
            PromotionEvent._base_manager.select_related("owner_unit__parent").filter(pk=pk).first()
        )
        if event is None:
            raise LookupError(pk)
        self.target = event

    def target_link(self) -> tuple[str, str] | None:
        if self.target is None:
            return None
        return str(self.target), reverse(
            "activities:event-detail", args=[self.target.pk]
        ) + "#peserta"

    def can_import(self, user: Any) -> bool:
        if self.target is None:
            return access.can_create(user, EventParticipant)
        return access.can_edit(user, self.target)

    def clean(self, data: dict[str, Any], values: dict[str, Any], row: RowContext) -> None:
        if not data["nib"] and not data["owner_nik"]:
            row.error("nib", "Isi NIB usaha atau NIK pemiliknya")
        if data["nib"]:
            data["owner_nik"] = None  # the NIB names the business; the NIK is not needed

    def existing_keys(self, key: str, values: list[str]) -> set[str]:
        """NIBs (or owner NIKs) of businesses registered for the event already."""
        path = "enterprise__nib" if key == "nib" else "enterprise__owner__nik"
        return {
            value
            for value in EventParticipant.objects.filter(
                event=self.target, archived_at__isnull=True, **{f"{path}__in": values}
            ).values_list(path, flat=True)
            if value
        }

    def duplicate_message(self, key: str, shown: str) -> str:
        label = self.dedup_label(key)
        return f"{label} {shown} sudah terdaftar sebagai peserta kegiatan ini"

    def _resolve(self, rows: list[Any]) -> dict[int, int | str]:
        """Row index -> the business id, or the message why there is none."""
        by_nib = _enterprises_by_nib([r["nib"] for r in rows if r["nib"]])
        by_nik = _enterprises_by_owner_nik([r["owner_nik"] for r in rows if r["owner_nik"]])
        resolved: dict[int, int | str] = {}
        for index, data in enumerate(rows):
            if data["nib"]:
                found = by_nib.get(data["nib"])
                resolved[index] = found if found else f"NIB {data['nib']} tidak terdaftar"
                continue
            owned = by_nik.get(data["owner_nik"], [])
            shown = mask_nik(data["owner_nik"])
            if len(owned) == 1:
                resolved[index] = owned[0]
            elif owned:
                resolved[index] = f"Pemilik NIK {shown} punya {len(owned)} usaha; isi NIB-nya"
            else:
                resolved[index] = f"Tidak ada usaha terdaftar dengan pemilik NIK {shown}"
        return resolved

    def stored_problems(self, rows: list[tuple[int, Any]]) -> dict[int, tuple[str, str]]:
        resolved = self._resolve([data for _number, data in rows])
        return {
            number: ("nib" if data["nib"] else "owner_nik", str(resolved[index]))
            for index, (number, data) in enumerate(rows)
            if isinstance(resolved[index], str)
        }

    def write(self, rows: list[dict[str, Any]], *, batch: Any, actor: Any) -> dict[str, int]:
        resolved = self._resolve(rows)
        present = set(
            EventParticipant.objects.filter(
                event=self.target,
                archived_at__isnull=True,
                enterprise_id__in=[v for v in resolved.values() if isinstance(v, int)],
            ).values_list("enterprise_id", flat=True)
        )
        records = []
        for index, data in enumerate(rows):
            enterprise = resolved[index]
            # A business named twice (by its NIB and by its owner's NIK) is added once.
            if isinstance(enterprise, int) and enterprise not in present:
                present.add(enterprise)
                records.append(
                    EventParticipant(
                        event=self.target,
                        enterprise_id=enterprise,
                        sales=data["sales"],
                        notes=data["notes"],
                        import_batch=batch,
                    )
                )
        EventParticipant.objects.bulk_create(records)
        return {"peserta kegiatan": len(records)}

    def revert(self, batch: Any) -> dict[str, int]:
        return {
            "peserta kegiatan": delete_in_chunks(
                EventParticipant._base_manager.filter(import_batch=batch)
            )
        }
