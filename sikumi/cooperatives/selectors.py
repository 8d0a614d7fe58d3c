"""Reads of the cooperative registry. Lists compute the activity status in SQL (so filters and
counts scale to 10,000 cooperatives) with the bounds `sikumi.rules.cooperative` gives; one record
uses the pure rule for the reason shown. Every rule (activity, RAT on time, members, the quality
rule sets) is written once, in `sikumi.rules.cooperative`; this module only gathers the facts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import ExtractYear
from django.utils import timezone

from sikumi.accounts import access
from sikumi.cooperatives import facts as fact_registry
from sikumi.cooperatives.choices import ActivityStatus, Jenis
from sikumi.cooperatives.models import (
    CompetenceCertificate,
    Cooperative,
    CooperativeOfficial,
    CooperativeSettings,
    EmpowermentRecord,
    QualityRuleSet,
    RatReport,
)
from sikumi.rules import cooperative as coop_rules
from sikumi.rules.formatting import format_number

# ----------------------------------------------------------------------------- activity status


def current_year() -> int:
    return timezone.localdate().year


def activity_window() -> int:
    return CooperativeSettings.load().activity_window_years


def status_q(
    code: str,
    as_of_year: int | None = None,
    window: int | None = None,
    on: dt.date | None = None,
) -> Q:
    """SQL condition for one status: `sikumi.rules.cooperative.activity_status` over the whole
    table, with the bounds it compares with taken from `activity_thresholds` (dissolutions up
    to `on`, 31 December of the year by default)."""
    year = as_of_year if as_of_year is not None else current_year()
    window = window if window is not None else activity_window()
    bounds = coop_rules.activity_thresholds(year, window, on=on)
    dissolved = Q(dissolved_at__isnull=False) & Q(dissolved_at__lte=bounds.dissolved_through)
    if code == ActivityStatus.DIBUBARKAN:
        return dissolved
    active = Q(last_rat_year__gte=bounds.active_from)
    if code == ActivityStatus.AKTIF:
        return active & ~dissolved
    if code == ActivityStatus.TIDAK_AKTIF:
        return ~active & ~dissolved
    raise ValueError(f"unknown status {code!r}")


def with_status(
    queryset: QuerySet[Cooperative], as_of_year: int | None = None, window: int | None = None
) -> QuerySet[Cooperative]:
    """Annotate `status` (aktif / tidak_aktif / dibubarkan) in SQL."""
    year = as_of_year if as_of_year is not None else current_year()
    window = window if window is not None else activity_window()
    return queryset.annotate(
        status=Case(
            When(status_q(ActivityStatus.DIBUBARKAN, year, window), then=Value("dibubarkan")),
            When(status_q(ActivityStatus.AKTIF, year, window), then=Value("aktif")),
            default=Value("tidak_aktif"),
            output_field=CharField(),
        )
    )


def cooperative_status(
    cooperative: Cooperative, as_of_year: int | None = None
) -> coop_rules.Status:
    """Status with the reason shown to users (`sikumi.rules.cooperative.activity_status`)."""
    year = as_of_year if as_of_year is not None else current_year()
    dissolved = coop_rules.dissolved_by(cooperative.dissolved_at, year)
    return coop_rules.activity_status(
        cooperative.last_rat_year, year, activity_window(), dissolved=dissolved
    )


def savings_and_loan_q() -> Q:
    return Q(jenis=Jenis.SIMPAN_PINJAM) | Q(has_usp=True)


def choosable(*, savings_and_loan: bool = False) -> QuerySet[Cooperative]:
    """Cooperatives a new record (a service case, an inspection, a health assessment...) may
    name: not archived and not dissolved; only savings-and-loan ones (KSP or with a USP) when
    asked. The lookup kinds "cooperative_undissolved" and "cooperative_ksp" search these."""
    qs = Cooperative.objects.active().filter(dissolved_at__isnull=True)
    if savings_and_loan:
        qs = qs.filter(savings_and_loan_q())
    return qs


# -------------------------------------------------------------------------------- registry


def cooperative_list(*, user: Any) -> QuerySet[Cooperative]:
    if not access.can_view(user, Cooperative):
        return Cooperative.objects.none()
    return with_status(
        Cooperative.objects.active().select_related("kelurahan", "kecamatan", "owner_unit")
    )


def cooperative_get(*, user: Any, pk: int) -> Cooperative:
    access.require(access.can_view(user, Cooperative))
    return Cooperative.objects.select_related("kelurahan", "kecamatan", "owner_unit__parent").get(
        pk=pk
    )


def child_get(*, user: Any, model: type[Any], cooperative: Cooperative, pk: int) -> Any:
    """One active record of a cooperative (RAT report, official, award, rating, empowerment)."""
    access.require(access.can_view(user, model))
    return model.objects.active().get(pk=pk, cooperative=cooperative)


def certificate_get(*, user: Any, official: CooperativeOfficial, pk: int) -> CompetenceCertificate:
    access.require(access.can_view(user, CompetenceCertificate))
    return CompetenceCertificate.objects.active().get(pk=pk, official=official)


def empowerment_list(*, user: Any) -> QuerySet[EmpowermentRecord]:
    if not access.can_view(user, EmpowermentRecord):
        return EmpowermentRecord.objects.none()
    return EmpowermentRecord.objects.active().select_related("cooperative")


def rule_set_list(*, user: Any) -> QuerySet[QualityRuleSet]:
    if not access.can_view(user, QualityRuleSet):
        return QualityRuleSet.objects.none()
    return QualityRuleSet.objects.active()


def rule_set_get(*, user: Any, pk: int) -> QualityRuleSet:
    access.require(access.can_view(user, QualityRuleSet))
    return QualityRuleSet.objects.active().get(pk=pk)


def status_counts(queryset: QuerySet[Cooperative]) -> dict[str, int]:
    """Counts per status of a (filtered) list, one SQL query."""
    qs: Any = queryset.order_by()
    if "status" not in qs.query.annotations:
        qs = with_status(qs)
    rows: Any = qs.values("status").annotate(n=Count("id"))
    counts = dict.fromkeys(ActivityStatus.values, 0)
    for row in rows:
        counts[row["status"]] = row["n"]
    return counts


def officials_of(cooperative: Cooperative) -> QuerySet[CooperativeOfficial]:
    return (
        CooperativeOfficial.objects.active()
        .filter(cooperative=cooperative)
        .prefetch_related("certificates")
        .order_by("role", "name")
    )


# -------------------------------------------------------------------------- business figures


def business_volume_trend(
    *, cooperatives: QuerySet[Cooperative] | None = None, cooperative: Cooperative | None = None
) -> list[dict[str, Any]]:
    """Per RAT year: total business volume, members, SHU and growth of business volume (%).

    Growth is (this year - last year) / last year x 100; `None` when last year is missing or 0.
    Aggregated in SQL; the Python loop runs over years, not cooperatives.
    """
    reports = RatReport.objects.active()
    if cooperative is not None:
        reports = reports.filter(cooperative=cooperative)
    elif cooperatives is not None:
        reports = reports.filter(cooperative__in=cooperatives.order_by().values("pk"))
    rows = (
        reports.order_by()
        .values("year")
        .annotate(
            business_volume=Sum("business_volume"),
            shu=Sum("shu"),
            members_men=Sum("members_men"),
            members_women=Sum("members_women"),
            members_other=Sum("members_other"),
            own_capital=Sum("own_capital"),
            assets=Sum("assets"),
            reports=Count("id"),
        )
        .order_by("year")
    )
    result: list[dict[str, Any]] = []
    previous: Decimal | None = None
    previous_year: int | None = None
    for row in rows:
        volume = row["business_volume"]
        growth = None
        if (
            previous
            and volume is not None
            and previous_year is not None
            and row["year"] == previous_year + 1
        ):
            growth = (Decimal(volume) - previous) / previous * 100
        result.append({**row, "growth_percent": growth})
        previous = Decimal(volume) if volume is not None else None
        previous_year = row["year"]
    return result


def rat_reports_of(cooperative: Cooperative) -> QuerySet[RatReport]:
    return RatReport.objects.active().filter(cooperative=cooperative).order_by("-year")


# ---------------------------------------------------------------------------- quality rules


def rule_sets() -> dict[str, dict[str, Any]]:
    """Stored rule sets as the rules engine expects them ({code: {label, includes, rules}}).
    The shipped sets are stored by a migration and by `manage.py load_quality_rules`; a read
    never writes them."""
    return {
        rs.code: {"label": rs.label, "includes": rs.includes or [], "rules": rs.rules}
        for rs in QualityRuleSet.objects.active().filter(is_active=True)
    }


def _latest_report_subquery(year: int, field: str) -> Subquery:
    return Subquery(
        RatReport.objects.filter(
            cooperative=OuterRef("pk"), archived_at__isnull=True, year__lte=year
        )
        .order_by("-year")
        .values(field)[:1]
    )


# Above this many cooperatives, related rows are read for every cooperative and matched in
# Python rather than through a long SQL IN list (which also makes SQLite walk the list first).
_SQL_IN_LIMIT = 1000

_RAT_FIELDS = (
    "year",
    "book_year",
    "rat_date",
    "shu",
    "members_men",
    "members_women",
    "members_other",
)

# A cooperative's yes/no facts, read in SQL as the bits of one integer: 10,000 rows of two
# integers instead of seven converted columns.
_DIGITAL, _ONLINE, _CASHLESS, _SAVINGS, _NIK, _DISSOLVED, _ARCHIVED = (1 << n for n in range(7))


def _flags(year: int) -> Any:
    def bit(condition: Q, value: int) -> Case:
        return Case(
            When(condition, then=Value(value)), default=Value(0), output_field=IntegerField()
        )

    return (
        bit(Q(bookkeeping_digital=True), _DIGITAL)
        + bit(Q(online_services=True), _ONLINE)
        + bit(Q(cashless_payments=True), _CASHLESS)
        + bit(savings_and_loan_q(), _SAVINGS)  # jenis simpan pinjam or has_usp
        + bit(~Q(nik_koperasi=""), _NIK)
        # dissolved as of `year` (coop_rules.dissolved_by)
        + bit(
            Q(dissolved_at__lte=coop_rules.activity_thresholds(year).dissolved_through),
            _DISSOLVED,
        )
        + bit(Q(archived_at__isnull=False), _ARCHIVED)
    )


def _latest_reports(year: int, cooperatives: QuerySet[Cooperative]) -> dict[int, tuple[Any, ...]]:
    """{cooperative id: (year, book year, rat_date, shu, men, women, other)} of each
    cooperative's latest RAT report held up to `year`, in one query: one correlated subquery
    per cooperative finds the report's id on the (cooperative, year) unique index and the outer
    query reads those reports. (Active reports are unique per cooperative and year, so
    "latest" is one report.)"""
    latest_ids = (
        cooperatives.order_by()
        .annotate(_latest_rat=_latest_report_subquery(year, "pk"))
        .values("_latest_rat")
    )
    rows = (
        RatReport.objects.filter(pk__in=latest_ids)
        .order_by()
        .values_list("cooperative_id", *_RAT_FIELDS)
    )
    return {row[0]: row[1:] for row in rows}


def certificates_held_on(on: dt.date) -> QuerySet[CompetenceCertificate]:
    """Active competency certificates held on `on` (`coop_rules.certificate_valid_on`, in SQL
    with its `certificate_thresholds`): the quality facts and the indicators count these."""
    bounds = coop_rules.certificate_thresholds(on)
    return CompetenceCertificate.objects.active().filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=bounds.expires_from),
        issued_on__lte=bounds.issued_through,
    )


def _certified_counts(year: int, cooperative_ids: list[int] | None) -> dict[int, int]:
    """{cooperative id: active officials holding a certificate at the end of `year`} (absent
    when none), whether or not the cooperative itself is archived."""
    certified = certificates_held_on(coop_rules.year_end(year)).filter(
        official__archived_at__isnull=True
    )
    if cooperative_ids is not None and len(cooperative_ids) <= _SQL_IN_LIMIT:
        certified = certified.filter(official__cooperative_id__in=cooperative_ids)
    # Otherwise every cooperative is counted (a pass over the certificates, far fewer than the
    # officials) and the caller picks its own.
    return dict(
        certified.order_by()
        .values("official__cooperative")
        .annotate(n=Count("official", distinct=True))
        .values_list("official__cooperative", "n")
    )


def quality_facts(
    year: int, queryset: QuerySet[Cooperative] | None = None
) -> dict[int, dict[str, Any]]:
    """Facts of every cooperative of the queryset for the rule sets, as of `year`.

    Three SQL queries for the registry's own facts (the cooperatives with their yes/no facts;
    their latest RAT report up to `year`; certified officials counted per cooperative), plus
    whatever the registered fact providers (supervision) add in their own bulk queries.
    """
    window = activity_window()
    base = queryset if queryset is not None else Cooperative.objects.active()
    rows = list(base.order_by().annotate(_flags=_flags(year)).values_list("pk", "_flags"))
    latest = _latest_reports(year, base) if rows else {}
    certified_counts = (
        _certified_counts(year, None if queryset is None else [pk for pk, _ in rows])
        if rows
        else {}
    )
    no_report = (None,) * len(_RAT_FIELDS)
    # The status rule memoised: few distinct inputs across thousands of cooperatives.
    statuses: dict[tuple[int | None, bool], str] = {}
    facts: dict[int, dict[str, Any]] = {}
    for pk, flags in rows:
        rat_year, book_year, rat_date, shu, men, women, other = latest.get(pk, no_report)
        dissolved = flags & _DISSOLVED != 0
        status = statuses.get((rat_year, dissolved))
        if status is None:
            status = coop_rules.activity_status(rat_year, year, window, dissolved=dissolved).code
            statuses[(rat_year, dissolved)] = status
        facts[pk] = {
            "as_of_year": year,
            "status": status,
            "last_rat_year": rat_year,
            "rat_tepat_waktu": coop_rules.rat_report_on_time(book_year, rat_date),
            "simpan_pinjam": flags & _SAVINGS != 0,
            "shu": shu,
            "jumlah_anggota": coop_rules.members_total(men, women, other),
            "pembukuan_digital": flags & _DIGITAL != 0,
            "layanan_daring": flags & _ONLINE != 0,
            "transaksi_nontunai": flags & _CASHLESS != 0,
            # certificates count for cooperatives on the register only
            "jumlah_pengelola_bersertifikat": (
                0 if flags & _ARCHIVED else certified_counts.get(pk, 0)
            ),
            "punya_nik_koperasi": flags & _NIK != 0,
        }
    ids = None if queryset is None else list(facts)
    for coop_id, extra in fact_registry.extra_facts(ids, year).items():
        if coop_id in facts:
            facts[coop_id].update(extra)
    return facts


def qualifying_ids(year: int, queryset: QuerySet[Cooperative] | None = None) -> dict[str, set[int]]:
    """For a year, the ids of cooperatives meeting each rule set (for the indicators engine):
    the facts gathered in bulk (`quality_facts`), the rules applied in bulk by the rules engine
    (`sikumi.rules.cooperative.qualifying`, the same outcome as the detail page's evaluation)."""
    return coop_rules.qualifying(rule_sets(), quality_facts(year, queryset))


def cooperative_quality(cooperative: Cooperative, year: int | None = None) -> list[dict[str, Any]]:
    """For the detail page: each rule set with every rule met or missed and why."""
    year = year if year is not None else current_year()
    sets = rule_sets()
    coop_facts = quality_facts(year, Cooperative.objects.filter(pk=cooperative.pk)).get(
        cooperative.pk, {}
    )
    result = []
    for code, definition in sets.items():
        outcomes = coop_rules.evaluate_rule_set(coop_rules.expand_rule_set(sets, code), coop_facts)
        result.append(
            {
                "code": code,
                "label": definition["label"],
                "met": coop_rules.all_met(outcomes),
                "outcomes": outcomes,
            }
        )
    return result


# ------------------------------------------------------------------------------ empowerment


def empowerment_counts_by_year_kind(
    queryset: QuerySet[EmpowermentRecord] | None = None,
) -> list[dict[str, Any]]:
    """[{year, kind, records, cooperatives}] for the Renstra's yearly counts."""
    qs = queryset if queryset is not None else EmpowermentRecord.objects.active()
    return list(
        qs.order_by()
        .annotate(year=ExtractYear("date"))
        .values("year", "kind")
        .annotate(records=Count("id"), cooperatives=Count("cooperative", distinct=True))
        .order_by("year", "kind")
    )


def empowerment_counts_by_kecamatan(
    year: int | None = None, kind: str | None = None
) -> list[dict[str, Any]]:
    """[{kecamatan, name, records, cooperatives}] per kecamatan of the cooperative."""
    qs = EmpowermentRecord.objects.active()
    if year is not None:
        qs = qs.filter(date__year=year)
    if kind is not None:
        qs = qs.filter(kind=kind)
    return list(
        qs.order_by()
        .values("cooperative__kecamatan", "cooperative__kecamatan__name")
        .annotate(records=Count("id"), cooperatives=Count("cooperative", distinct=True))
        .order_by("cooperative__kecamatan")
    )


def cooperatives_empowered(year: int, kind: str | None = None) -> int:
    """Number of distinct cooperatives with at least one empowerment record in the year."""
    qs = EmpowermentRecord.objects.active().filter(date__year=year)
    if kind is not None:
        qs = qs.filter(kind=kind)
    return qs.values("cooperative").distinct().count()


# ------------------------------------------------------------------------------------- map


def counts_by_kecamatan(queryset: QuerySet[Cooperative]) -> list[dict[str, Any]]:
    """Cooperatives per kecamatan of a filtered list (for the choropleth), one SQL query."""
    rows: Any = (
        queryset.order_by()
        .values("kecamatan", "kecamatan__name")
        .annotate(n=Count("id"))
        .order_by("kecamatan")
    )
    return list(rows)


def map_points(queryset: QuerySet[Cooperative], limit: int = 20000) -> list[list[Any]]:
    """[longitude, latitude, name, id] of cooperatives with coordinates (bounded)."""
    return [
        [row[0], row[1], row[2], row[3]]
        for row in queryset.order_by()
        .exclude(latitude=None)
        .exclude(longitude=None)
        .values_list("longitude", "latitude", "name", "pk")[:limit]
    ]


def active_count_by_year(year: int, queryset: QuerySet[Cooperative] | None = None) -> int:
    """Number of cooperatives active in a (possibly past) year: the last RAT up to that year
    within the window (Renstra base: about 165 in 2020). One SQL query."""
    qs = queryset if queryset is not None else Cooperative.objects.active()
    bounds = coop_rules.activity_thresholds(year, activity_window())
    return (
        qs.order_by()
        .annotate(rat_year=_latest_report_subquery(year, "year"))
        .filter(rat_year__gte=bounds.active_from)
        .exclude(dissolved_at__lte=bounds.dissolved_through)
        .count()
    )


# -------------------------------------------------------------------------------- timeline


def registry_events(cooperative: Cooperative, user: Any) -> list[Any]:
    """This app's own timeline events: RAT, empowerment, awards, ratings, dissolution."""
    from django.urls import reverse

    from sikumi.cooperatives.models import CooperativeAward, CooperativeRating
    from sikumi.cooperatives.timeline import Event
    from sikumi.rules.formatting import format_rupiah

    events: list[Event] = []
    for r in rat_reports_of(cooperative)[:100]:
        detail = []
        if r.members_total is not None:
            detail.append(f"{r.members_total} anggota")
        if r.business_volume is not None:
            detail.append(f"volume usaha {format_rupiah(r.business_volume)}")
        events.append(
            Event(
                date=r.rat_date or dt.date(r.year, 1, 1),
                kind="RAT",
                title=f"RAT tahun buku {r.book_year}",
                detail=", ".join(detail),
                url=reverse("cooperatives:rat-edit", args=[cooperative.pk, r.pk]),
                is_example=r.is_example,
            )
        )
    empowerment = (
        EmpowermentRecord.objects.active()
        .filter(cooperative=cooperative)
        .select_related("official")
        .order_by("-date")[:100]
    )
    for e in empowerment:
        who = f" ({e.official.name})" if e.official_id and e.official else ""
        events.append(
            Event(
                date=e.date,
                kind="pemberdayaan",
                title=f"{e.get_kind_display()}{who}",
                detail=e.description[:200],
                is_example=e.is_example,
            )
        )
    for a in CooperativeAward.objects.active().filter(cooperative=cooperative)[:50]:
        events.append(
            Event(
                date=dt.date(a.year, 1, 1),
                kind="penghargaan",
                title=a.name,
                detail=" ".join(part for part in (a.rank, a.giver) if part),
                is_example=a.is_example,
            )
        )
    for g in CooperativeRating.objects.active().filter(cooperative=cooperative)[:50]:
        events.append(
            Event(
                date=dt.date(g.year, 1, 1),
                kind="pemeringkatan",
                title=f"Pemeringkatan {g.year}: {g.rating_class or '-'}",
                detail=f"Total {format_number(g.total, 2)}" if g.total is not None else "",
                is_example=g.is_example,
            )
        )
    if cooperative.dissolved_at:
        events.append(Event(date=cooperative.dissolved_at, kind="pembubaran", title="Dibubarkan"))
    return events
