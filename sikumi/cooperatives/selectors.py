"""Reads of the cooperative registry. Lists compute the activity status in SQL (so filters and
counts scale to 10,000 cooperatives); one record uses the pure rule for the reason shown."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
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

# ----------------------------------------------------------------------------- activity status


def current_year() -> int:
    return timezone.localdate().year


def activity_window() -> int:
    return CooperativeSettings.load().activity_window_years


def status_q(code: str, as_of_year: int | None = None, window: int | None = None) -> Q:
    """SQL condition for one status; the same rule as sikumi.rules.cooperative.activity_status."""
    year = as_of_year if as_of_year is not None else current_year()
    window = window if window is not None else activity_window()
    dissolved = Q(dissolved_at__isnull=False) & Q(dissolved_at__year__lte=year)
    if code == ActivityStatus.DIBUBARKAN:
        return dissolved
    active = Q(last_rat_year__gte=year - window)
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
    dissolved = cooperative.dissolved_at is not None and cooperative.dissolved_at.year <= year
    return coop_rules.activity_status(
        cooperative.last_rat_year, year, activity_window(), dissolved=dissolved
    )


def savings_and_loan_q() -> Q:
    return Q(jenis=Jenis.SIMPAN_PINJAM) | Q(has_usp=True)


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
    """Stored rule sets as the rules engine expects them ({code: {label, includes, rules}})."""
    from sikumi.cooperatives.services import ensure_default_rule_sets

    ensure_default_rule_sets()
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


def quality_facts(
    year: int, queryset: QuerySet[Cooperative] | None = None
) -> dict[int, dict[str, Any]]:
    """Facts of every cooperative of the queryset for the rule sets, as of `year`.

    Three SQL queries for the registry's own facts (cooperatives with their latest RAT figures up
    to `year` as subqueries; certified officials counted per cooperative), plus whatever the
    registered fact providers (supervision) add in their own bulk queries.
    """
    window = activity_window()
    base = queryset if queryset is not None else Cooperative.objects.active()
    rows = (
        base.order_by()
        .annotate(
            rat_year=_latest_report_subquery(year, "year"),
            rat_date=_latest_report_subquery(year, "rat_date"),
            rat_shu=_latest_report_subquery(year, "shu"),
            rat_men=_latest_report_subquery(year, "members_men"),
            rat_women=_latest_report_subquery(year, "members_women"),
            rat_other=_latest_report_subquery(year, "members_other"),
        )
        .values(
            "pk",
            "jenis",
            "has_usp",
            "nik_koperasi",
            "dissolved_at",
            "bookkeeping_digital",
            "online_services",
            "cashless_payments",
            "rat_year",
            "rat_date",
            "rat_shu",
            "rat_men",
            "rat_women",
            "rat_other",
        )
    )
    ids_filter = None if queryset is None else base.order_by().values("pk")
    certified = CompetenceCertificate.objects.active().filter(
        official__archived_at__isnull=True,
        official__cooperative__archived_at__isnull=True,
        issued_on__year__lte=year,
    )
    certified = certified.filter(Q(expires_on__isnull=True) | Q(expires_on__year__gte=year))
    if ids_filter is not None:
        certified = certified.filter(official__cooperative__in=ids_filter)
    certified_counts = dict(
        certified.order_by()
        .values("official__cooperative")
        .annotate(n=Count("official", distinct=True))
        .values_list("official__cooperative", "n")
    )
    facts: dict[int, dict[str, Any]] = {}
    for row in rows:
        dissolved = row["dissolved_at"] is not None and row["dissolved_at"].year <= year
        status = coop_rules.activity_status(row["rat_year"], year, window, dissolved=dissolved)
        parts = (row["rat_men"], row["rat_women"], row["rat_other"])
        members = None if all(p is None for p in parts) else sum(p or 0 for p in parts)
        facts[row["pk"]] = {
            "as_of_year": year,
            "status": status.code,
            "last_rat_year": row["rat_year"],
            "rat_tepat_waktu": (
                coop_rules.rat_on_time(row["rat_year"] - 1, row["rat_date"])
                if row["rat_year"] and row["rat_date"]
                else None
            ),
            "simpan_pinjam": row["jenis"] == Jenis.SIMPAN_PINJAM or row["has_usp"],
            "shu": row["rat_shu"],
            "jumlah_anggota": members,
            "pembukuan_digital": row["bookkeeping_digital"],
            "layanan_daring": row["online_services"],
            "transaksi_nontunai": row["cashless_payments"],
            "jumlah_pengelola_bersertifikat": certified_counts.get(row["pk"], 0),
            "punya_nik_koperasi": bool(row["nik_koperasi"]),
        }
    ids = None if queryset is None else list(facts)
    for coop_id, extra in fact_registry.extra_facts(ids, year).items():
        if coop_id in facts:
            facts[coop_id].update(extra)
    return facts


def qualifying_ids(year: int, queryset: QuerySet[Cooperative] | None = None) -> dict[str, set[int]]:
    """For a year, the ids of cooperatives meeting each rule set (for the indicators engine)."""
    sets = rule_sets()
    expanded = {code: coop_rules.expand_rule_set(sets, code) for code in sets}
    result: dict[str, set[int]] = {code: set() for code in sets}
    for coop_id, coop_facts in quality_facts(year, queryset).items():
        for code, rules in expanded.items():
            if coop_rules.all_met(coop_rules.evaluate_rule_set(rules, coop_facts)):
                result[code].add(coop_id)
    return result


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
    window = activity_window()
    return (
        qs.order_by()
        .annotate(rat_year=_latest_report_subquery(year, "year"))
        .filter(rat_year__gte=year - window)
        .exclude(dissolved_at__year__lte=year)
        .count()
    )


# -------------------------------------------------------------------------------- timeline


def registry_events(cooperative: Cooperative, user: Any) -> list[Any]:
    """This app's own timeline events: RAT, empowerment, awards, ratings, dissolution."""
    import datetime as dt

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
                title=f"RAT tahun {r.year}",
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
                detail=f"Total {g.total}" if g.total is not None else "",
                is_example=g.is_example,
            )
        )
    if cooperative.dissolved_at:
        events.append(Event(date=cooperative.dissolved_at, kind="pembubaran", title="Dibubarkan"))
    return events
