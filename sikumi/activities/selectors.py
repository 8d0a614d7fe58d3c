"""Reads of the activities app: lists for pages and API, and the yearly counts the indicators
use (all aggregated in SQL, each with a per-kecamatan split that adds up to the city total and
a queryset behind the number for drill-down)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    CharField,
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from sikumi.accounts import access
from sikumi.activities import choices as c
from sikumi.activities.models import (
    Curation,
    EventParticipant,
    FinancingFacilitation,
    LegalityApplication,
    Partnership,
    Product,
    PromotionEvent,
    Training,
    TrainingParticipant,
)

DEFAULT_EXPIRY_DAYS = 90
UNKNOWN_KECAMATAN = ""


@dataclass
class Tally:
    """A count with its split by kecamatan code ("" = unknown) and the records behind it."""

    total: int
    by_kecamatan: dict[str, int]
    queryset: QuerySet[Any]
    amount: Decimal | None = None
    amount_by_kecamatan: dict[str, Decimal] = field(default_factory=dict)


def _split(rows: Iterable[dict[str, Any]], key: str = "kec", value: str = "n") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for row in rows:
        code = row[key] or UNKNOWN_KECAMATAN
        out[code] = out.get(code, 0) + (row[value] or 0)
    return out


def _tally(queryset: QuerySet[Any], kecamatan: Any, amount_field: str | None = None) -> Tally:
    """Count (and sum) the queryset in SQL, grouped by the kecamatan expression."""
    grouped = queryset.annotate(kec=kecamatan).values("kec").order_by("kec")
    if amount_field:
        rows = list(grouped.annotate(n=Count("pk"), amount=Sum(amount_field)))
    else:
        rows = list(grouped.annotate(n=Count("pk")))
    by_kec = _split(rows)
    tally = Tally(total=sum(by_kec.values()), by_kecamatan=by_kec, queryset=queryset)
    if amount_field:
        tally.amount_by_kecamatan = {k: Decimal(v) for k, v in _split(rows, value="amount").items()}
        tally.amount = sum(tally.amount_by_kecamatan.values(), Decimal(0))
    return tally


def _kec(*paths: str) -> Any:
    """The first known kecamatan code along the given paths, "" when none is known."""
    return Coalesce(*paths, Value(UNKNOWN_KECAMATAN), output_field=CharField())


PARTICIPANT_KECAMATAN = (
    "enterprise__kecamatan_code",
    "cooperative__kecamatan",
    "official__cooperative__kecamatan",
)
BENEFICIARY_KECAMATAN = ("enterprise__kecamatan_code", "cooperative__kecamatan")


# ---------------------------------------------------------------------------- lists


def _visible(user: Any, model: Any) -> QuerySet[Any]:
    if not access.can_view(user, model):
        return model.objects.none()
    return model.objects.active()


def product_list(*, user: Any) -> QuerySet[Product]:
    return _visible(user, Product).select_related("enterprise", "owner_unit")


def legality_list(*, user: Any) -> QuerySet[LegalityApplication]:
    return _visible(user, LegalityApplication).select_related("product__enterprise", "owner_unit")


def training_list(*, user: Any) -> QuerySet[Training]:
    return (
        _visible(user, Training)
        .select_related("owner_unit")
        .annotate(
            participant_count=Count(
                "participants", filter=Q(participants__archived_at__isnull=True)
            )
        )
        .order_by("-starts_on", "-id")
    )


def participant_list(*, user: Any) -> QuerySet[TrainingParticipant]:
    return (
        _visible(user, TrainingParticipant)
        .filter(training__archived_at__isnull=True)
        .select_related(
            "training__owner_unit",
            "person",
            "enterprise",
            "cooperative",
            "official__cooperative",
        )
    )


def curation_list(*, user: Any) -> QuerySet[Curation]:
    return _visible(user, Curation).select_related("enterprise", "product", "owner_unit")


def event_list(*, user: Any) -> QuerySet[PromotionEvent]:
    return (
        _visible(user, PromotionEvent)
        .select_related("owner_unit")
        .annotate(
            participant_count=Count(
                "participants", filter=Q(participants__archived_at__isnull=True)
            ),
            sales_total=Sum(
                "participants__sales", filter=Q(participants__archived_at__isnull=True)
            ),
        )
        .order_by("-starts_on", "-id")
    )


def event_participant_list(*, user: Any) -> QuerySet[EventParticipant]:
    return (
        _visible(user, EventParticipant)
        .filter(event__archived_at__isnull=True)
        .select_related("event__owner_unit", "enterprise", "cooperative")
    )


def financing_list(*, user: Any) -> QuerySet[FinancingFacilitation]:
    return _visible(user, FinancingFacilitation).select_related(
        "enterprise", "cooperative", "owner_unit"
    )


def partnership_list(*, user: Any) -> QuerySet[Partnership]:
    return _visible(user, Partnership).select_related("enterprise", "cooperative", "owner_unit")


def get(model: Any, *, user: Any, pk: int) -> Any:
    """One record for its detail page (archived ones too: they are kept, not deleted)."""
    access.require(access.can_view(user, model))
    related = [
        f.name
        for f in model._meta.concrete_fields
        if f.is_relation and f.name not in ("person", "official")
    ]
    return model.objects.select_related(*related).get(pk=pk)


# ---------------------------------------------------------------------------- legality


def _current_certificates() -> QuerySet[LegalityApplication]:
    """Issued certificates not superseded by a later one for the same product and kind."""
    newer = LegalityApplication.objects.active().filter(
        product=OuterRef("product"),
        kind=OuterRef("kind"),
        status=c.LegalityStatus.TERBIT,
        issued_on__gt=OuterRef("issued_on"),
    )
    return (
        LegalityApplication.objects.active()
        .filter(status=c.LegalityStatus.TERBIT, expires_on__isnull=False)
        .filter(product__archived_at__isnull=True)
        .filter(~Exists(newer))
        .select_related("product__enterprise", "owner_unit")
    )


def expiring_certificates(
    *, user: Any, days: int = DEFAULT_EXPIRY_DAYS, today: dt.date | None = None
) -> QuerySet[LegalityApplication]:
    """Certificates expiring within `days` days from today (today included), soonest first."""
    if not access.can_view(user, LegalityApplication):
        return LegalityApplication.objects.none()
    today = today or timezone.localdate()
    return (
        _current_certificates()
        .filter(expires_on__gte=today, expires_on__lte=today + dt.timedelta(days=days))
        .order_by("expires_on", "id")
    )


def expired_certificates(
    *, user: Any, today: dt.date | None = None
) -> QuerySet[LegalityApplication]:
    """Certificates already expired and not renewed, most recently expired first."""
    if not access.can_view(user, LegalityApplication):
        return LegalityApplication.objects.none()
    today = today or timezone.localdate()
    return _current_certificates().filter(expires_on__lt=today).order_by("-expires_on", "id")


def _issued(year: int, kind: str | None) -> QuerySet[LegalityApplication]:
    qs = LegalityApplication.objects.active().filter(
        status=c.LegalityStatus.TERBIT, issued_on__year=year
    )
    return qs.filter(kind=kind) if kind else qs


def certified_products(
    year: int, kind: str | None = None, facilitated: bool | None = None
) -> Tally:
    """Products with a certificate issued in `year` (status terbit), each product once."""
    certificates = _issued(year, kind)
    if facilitated is not None:
        certificates = certificates.filter(facilitated=facilitated)
    products = Product.objects.active().filter(Exists(certificates.filter(product=OuterRef("pk"))))
    return _tally(products.select_related("enterprise"), _kec("enterprise__kecamatan_code"))


def certificates_issued(year: int, kind: str | None = None) -> Tally:
    """Certificates issued in `year` (one product may have several)."""
    return _tally(_issued(year, kind), _kec("product__enterprise__kecamatan_code"))


def legality_by_kind(year: int) -> dict[str, int]:
    """Certificates issued in `year` per kind (every kind present, zero when none)."""
    counts = dict(_issued(year, None).values_list("kind").annotate(n=Count("pk")).order_by())
    return {kind: counts.get(kind, 0) for kind in c.LegalityKind.values}


def legality_by_year_and_kind(years: Iterable[int]) -> dict[int, dict[str, int]]:
    """Certificates issued per year and kind, in one query."""
    years = list(years)
    rows = (
        LegalityApplication.objects.active()
        .filter(status=c.LegalityStatus.TERBIT, issued_on__year__in=years)
        .values_list("issued_on__year", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    table = {year: dict.fromkeys(c.LegalityKind.values, 0) for year in years}
    for year, kind, n in rows:
        table[year][kind] = n
    return table


# ---------------------------------------------------------------------------- trainings


def _attended(year: int, group: str | None = None) -> QuerySet[TrainingParticipant]:
    qs = TrainingParticipant.objects.active().filter(
        training__archived_at__isnull=True,
        training__year=year,
        attendance=c.Attendance.HADIR,
    )
    return qs.filter(training__target_group=group) if group else qs


def participants(year: int, group: str | None = None) -> Tally:
    """Attended participations in trainings of `year` (optionally of one target group)."""
    qs = _attended(year, group).select_related(
        "training", "person", "enterprise", "cooperative", "official"
    )
    return _tally(qs, _kec(*PARTICIPANT_KECAMATAN))


def trained_cooperatives(year: int) -> Tally:
    """Cooperatives with at least one attending participant (the cooperative itself or one of
    its officials) in a training of `year`: the Renstra's "koperasi dilatih" (of 165)."""
    from sikumi.cooperatives.models import Cooperative

    attended = _attended(year)
    cooperatives = Cooperative.objects.filter(archived_at__isnull=True).filter(
        Exists(attended.filter(cooperative=OuterRef("pk")))
        | Exists(attended.filter(official__cooperative=OuterRef("pk")))
    )
    return _tally(cooperatives, _kec("kecamatan"))


def certified_officials(year: int, outcomes: tuple[str, ...] = (c.Outcome.BERSERTIFIKAT,)) -> Tally:
    """Cooperative officials who attended a training of `year` and came out certified: the
    Renstra's "pengurus/pengelola koperasi kompeten" (of 660). Each official counts once."""
    from sikumi.cooperatives.models import CooperativeOfficial

    qualified = _attended(year).filter(outcome__in=outcomes)
    officials = CooperativeOfficial.objects.filter(archived_at__isnull=True).filter(
        Exists(qualified.filter(official=OuterRef("pk")))
    )
    return _tally(officials.select_related("cooperative"), _kec("cooperative__kecamatan"))


def trainings_by_kind(year: int) -> dict[str, int]:
    counts = dict(
        Training.objects.active()
        .filter(year=year)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {kind: counts.get(kind, 0) for kind in c.TrainingKind.values}


# ---------------------------------------------------------------------------- events etc.


def events(year: int, kind: str | None = None) -> Tally:
    """Promotion events that started in `year` (no kecamatan: events are city-wide)."""
    qs = PromotionEvent.objects.active().filter(starts_on__year=year)
    if kind:
        qs = qs.filter(kind=kind)
    return _tally(qs, Value(UNKNOWN_KECAMATAN, output_field=CharField()))


def event_participants(year: int, kind: str | None = None) -> Tally:
    """Participations in promotion events of `year`, with their reported sales (Rp)."""
    qs = EventParticipant.objects.active().filter(
        event__archived_at__isnull=True, event__starts_on__year=year
    )
    if kind:
        qs = qs.filter(event__kind=kind)
    return _tally(qs, _kec(*BENEFICIARY_KECAMATAN), amount_field="sales")


def financing(year: int, statuses: tuple[str, ...] = c.FINANCING_GRANTED) -> Tally:
    """Financing facilitations dated in `year` with one of `statuses` (granted by default),
    with the amount (Rp)."""
    qs = FinancingFacilitation.objects.active().filter(date__year=year, status__in=statuses)
    return _tally(qs, _kec(*BENEFICIARY_KECAMATAN), amount_field="amount")


def curations(year: int, result: str | None = None) -> Tally:
    qs = Curation.objects.active().filter(date__year=year)
    if result:
        qs = qs.filter(result=result)
    return _tally(qs, _kec("enterprise__kecamatan_code"))


def partnerships(year: int) -> Tally:
    qs = Partnership.objects.active().filter(started_on__year=year)
    return _tally(qs, _kec(*BENEFICIARY_KECAMATAN))


def year_summary(year: int) -> dict[str, Any]:
    """The figures of one year, for the activities overview page."""
    return {
        "year": year,
        "trainings": Training.objects.active().filter(year=year).count(),
        "participants": participants(year),
        "trained_cooperatives": trained_cooperatives(year),
        "certified_officials": certified_officials(year),
        "certified_products": certified_products(year),
        "events": events(year),
        "event_participants": event_participants(year),
        "financing": financing(year),
        "curations": curations(year),
        "curations_passed": curations(year, c.CurationResult.LOLOS),
        "partnerships": partnerships(year),
        "legality_by_kind": legality_by_kind(year),
    }


# ------------------------------------------------------------------ pasted participant lists

# NIKs one paste may hold: a training's attendance list, not a registry.
MAX_PASTE = 300
# A number in scientific notation (Excel's "3,27601E+15") stays one token; otherwise cells are
# separated by spaces, tabs, commas or semicolons.
_TOKEN = re.compile(r"\d+[.,]\d+[eE]\+?\d+|[^\s,;]+")
_ROW_NUMBER = re.compile(r"^\d{1,4}\.?$")


@dataclass(frozen=True)
class PastedLine:
    """One number of a pasted list and the words beside it on its line (a name, when the list
    was copied with its name column)."""

    value: str
    words: str


def pasted_numbers(text: str) -> list[PastedLine]:
    """The numbers of a list pasted from Excel or typed: one per line or several separated by
    spaces, tabs, commas or semicolons. Words without a digit are no numbers (a header "NIK",
    a name); a short number opening a row of one NIK is its row number ("No.") and skipped."""
    found: list[PastedLine] = []
    for line in (text or "").splitlines():
        tokens = [t.strip("'\"`") for t in _TOKEN.findall(line)]
        numbers = [t for t in tokens if any(ch.isdigit() for ch in t)]
        if len(numbers) == 2 and _ROW_NUMBER.match(numbers[0]) and tokens[0] == numbers[0]:
            numbers = numbers[1:]
        words = " ".join(t for t in tokens if t and not any(ch.isdigit() for ch in t))
        for number in numbers:
            found.append(PastedLine(number, words if len(numbers) == 1 else ""))
    return found


@dataclass(frozen=True)
class PastedPerson:
    """A pasted NIK held by a person of the registry (shown masked, with what tells namesakes
    apart)."""

    person: Any
    nik_shown: str
    hints: Any


@dataclass(frozen=True)
class PastedUnknown:
    """A valid pasted NIK that no person holds; `name` is the words pasted beside it."""

    nik: str
    name: str


@dataclass
class PasteCheck:
    """What a pasted list of NIKs holds, checked against the registry and the training."""

    found: list[PastedPerson] = field(default_factory=list)  # to add
    registered: list[PastedPerson] = field(default_factory=list)  # already participants
    unknown: list[PastedUnknown] = field(default_factory=list)
    invalid: list[tuple[str, str]] = field(default_factory=list)  # (as pasted, reason)
    archived: list[str] = field(default_factory=list)  # masked NIKs of archived people
    repeated: int = 0  # numbers pasted more than once (counted once)
    too_many: bool = False
    may_add_people: bool = False

    @property
    def empty(self) -> bool:
        return not (self.found or self.registered or self.unknown or self.invalid or self.archived)


def participant_paste_check(*, user: Any, training: Training, text: str) -> PasteCheck:
    """Check a pasted list of NIKs for `training`. Each NIK goes through the attendance-list
    import's NIK column (same messages as an upload). Looking the NIKs up is a search by NIK
    (`sikumi.core.personal_search`): one search against the user's limit, recorded with the
    NIKs masked. The user typed the numbers, so matches are shown whatever their Bidang, but
    with masked NIKs."""
    from sikumi.activities.importer import nik_problems
    from sikumi.core import personal_search
    from sikumi.enterprises.models import Person
    from sikumi.enterprises.selectors import person_hints
    from sikumi.enterprises.services import default_owner_unit
    from sikumi.rules.identifiers import mask_nik

    access.require(access.can_edit(user, training))
    check = PasteCheck(may_add_people=access.can_create(user, Person, default_owner_unit()))
    niks: dict[str, str] = {}  # NIK -> words beside it
    seen_invalid: set[str] = set()
    for line in pasted_numbers(text):
        nik, problems = nik_problems(line.value)
        if nik is None:
            if line.value not in seen_invalid:
                seen_invalid.add(line.value)
                check.invalid.append((line.value, "; ".join(problems)))
            continue
        if nik in niks:
            check.repeated += 1
            continue
        if len(niks) >= MAX_PASTE:
            check.too_many = True
            continue
        niks[nik] = line.words
    if not niks:
        return check
    if not personal_search.allow_many(
        user=user, terms=list(niks), model=Person, purpose=f"peserta pelatihan {training.pk}"
    ):
        access.require(False)
    people = {p.nik: p for p in Person._base_manager.filter(nik__in=list(niks))}
    registered = set(
        TrainingParticipant.objects.active()
        .filter(training=training, person__in=[p.pk for p in people.values()])
        .values_list("person_id", flat=True)
    )
    hints = person_hints(p for p in people.values() if p.archived_at is None)
    for nik, words in niks.items():
        person = people.get(nik)
        if person is None:
            check.unknown.append(PastedUnknown(nik, words))
        elif person.archived_at is not None:
            check.archived.append(mask_nik(nik))
        else:
            entry = PastedPerson(person, mask_nik(nik), hints[person.pk])
            (check.registered if person.pk in registered else check.found).append(entry)
    return check


@dataclass(frozen=True)
class PastedBusiness:
    """A business a pasted NIB (or owner's NIK) names."""

    enterprise: Any
    typed: str  # the NIB, or the owner's NIK masked


@dataclass
class EventPasteCheck:
    """What a pasted list of NIBs or owners' NIKs holds, checked for a promotion event."""

    found: list[PastedBusiness] = field(default_factory=list)
    registered: list[PastedBusiness] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # NIBs as typed, NIKs masked
    several: list[tuple[str, list[Any]]] = field(default_factory=list)  # owner NIK: businesses
    invalid: list[tuple[str, str]] = field(default_factory=list)
    repeated: int = 0
    too_many: bool = False

    @property
    def empty(self) -> bool:
        return not (self.found or self.registered or self.unknown or self.several or self.invalid)


def event_paste_check(*, user: Any, event: PromotionEvent, text: str) -> EventPasteCheck:
    """Check a pasted list of NIBs (13 digits) or owners' NIKs (16 digits) for `event`, each
    through the participants import's column. NIKs are looked up as one search by NIK
    (`sikumi.core.personal_search`, counted and recorded); NIBs name businesses, not people."""
    from sikumi.activities.importer import NIB_COLUMN, OWNER_NIK_COLUMN, column_problems
    from sikumi.core import personal_search
    from sikumi.enterprises.models import Enterprise
    from sikumi.rules.identifiers import NIB_LENGTH, NIK_LENGTH, mask_nik

    access.require(access.can_edit(user, event))
    check = EventPasteCheck()
    nibs: list[str] = []
    niks: list[str] = []
    seen: set[str] = set()
    for line in pasted_numbers(text):
        digits = "".join(ch for ch in line.value if ch.isdigit())
        column = {NIB_LENGTH: NIB_COLUMN, NIK_LENGTH: OWNER_NIK_COLUMN}.get(len(digits))
        if column is None:
            check.invalid.append(
                (line.value, "Tulis NIB usaha (13 digit) atau NIK pemiliknya (16 digit)")
            )
            continue
        value, problems = column_problems(column, line.value)
        if value is None:
            check.invalid.append((line.value, "; ".join(problems)))
        elif value in seen:
            check.repeated += 1
        elif len(seen) >= MAX_PASTE:
            check.too_many = True
        else:
            seen.add(value)
            (nibs if column is NIB_COLUMN else niks).append(value)
    if niks and not personal_search.allow_many(
        user=user, terms=niks, model=Enterprise, purpose=f"peserta kegiatan promosi {event.pk}"
    ):
        access.require(False)
    businesses = Enterprise.objects.active().select_related("owner", "kelurahan")
    by_nib = {e.nib: e for e in businesses.filter(nib__in=nibs)} if nibs else {}
    by_nik: dict[str, list[Any]] = {}
    for enterprise in businesses.filter(owner__nik__in=niks).order_by("pk") if niks else []:
        by_nik.setdefault(enterprise.owner.nik, []).append(enterprise)
    named: list[PastedBusiness] = []
    for nib in nibs:
        if nib in by_nib:
            named.append(PastedBusiness(by_nib[nib], nib))
        else:
            check.unknown.append(nib)
    for nik in niks:
        owned = by_nik.get(nik, [])
        if len(owned) == 1:
            named.append(PastedBusiness(owned[0], mask_nik(nik)))
        elif owned:
            check.several.append((mask_nik(nik), owned))
        else:
            check.unknown.append(mask_nik(nik))
    registered = set(
        EventParticipant.objects.active()
        .filter(event=event, enterprise__in=[b.enterprise.pk for b in named])
        .values_list("enterprise_id", flat=True)
    )
    added: set[int] = set()
    for business in named:
        if business.enterprise.pk in registered:
            check.registered.append(business)
        elif business.enterprise.pk not in added:  # by its NIB and its owner's NIK
            added.add(business.enterprise.pk)
            check.found.append(business)
    return check
