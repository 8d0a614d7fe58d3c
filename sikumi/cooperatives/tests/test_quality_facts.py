"""The bulk quality facts and rule evaluation give what the per-cooperative reading and the rules
engine (sikumi.rules.cooperative) give, whatever the data and the rules."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Q
from django.utils import timezone

from sikumi.cooperatives import facts as fact_registry
from sikumi.cooperatives import selectors
from sikumi.cooperatives.models import (
    CompetenceCertificate,
    Cooperative,
    CooperativeOfficial,
    QualityRuleSet,
    RatReport,
)
from sikumi.rules import cooperative as coop_rules

pytestmark = pytest.mark.django_db

YEAR = 2025


def _coop(name, **extra):
    values = {"name": name, "jenis": "konsumen", "kelurahan_id": "32.76.02.1008"}
    values.update(extra)
    return Cooperative.objects.create(**values)


def _rat(coop, year, **figures):
    figures.setdefault("rat_date", dt.date(year, 3, 20))
    return RatReport.objects.create(cooperative=coop, year=year, **figures)


def _certify(coop, issued_on, expires_on=None, official_archived=False):
    official = CooperativeOfficial.objects.create(cooperative=coop, role="manajer", name="Budi")
    if official_archived:
        official.archived_at = timezone.now()
        official.save()
    CompetenceCertificate.objects.create(
        official=official, scheme="Manajer", issued_on=issued_on, expires_on=expires_on
    )


@pytest.fixture
def registry(depok):
    """Cooperatives covering the corners of the facts: no report, archived and later reports,
    missing member counts and dates, dissolution before and after the year, USP, NIK, archived."""
    coops = {}
    coops["plain"] = c = _coop("Koperasi Biasa", nik_koperasi="3276000000001")
    _rat(c, YEAR - 2, members_men=10, shu=Decimal("-5"))
    _rat(c, YEAR, members_men=12, members_women=9, shu=Decimal("1500.50"))
    _rat(c, YEAR + 1, members_men=99, shu=Decimal("1"))  # after the year: ignored
    _certify(c, dt.date(YEAR - 1, 1, 1))
    _certify(c, dt.date(YEAR - 1, 1, 1), expires_on=dt.date(YEAR - 1, 12, 31))  # expired
    _certify(c, dt.date(YEAR + 1, 1, 1))  # not yet issued
    _certify(c, dt.date(YEAR - 3, 1, 1), official_archived=True)
    coops["archived_latest"] = c = _coop(
        "Koperasi Simpan Pinjam Arsip", jenis="simpan_pinjam", bookkeeping_digital=True
    )
    _rat(c, YEAR - 4, members_other=40, rat_date=dt.date(YEAR - 4, 9, 1))
    archived = _rat(c, YEAR - 1, members_other=50)
    archived.archived_at = timezone.now()
    archived.save()
    coops["no_report"] = _coop("Koperasi Tanpa RAT", has_usp=True, online_services=True)
    coops["no_date"] = c = _coop("Koperasi Tanpa Tanggal", cashless_payments=True)
    _rat(c, YEAR - 1, rat_date=None, shu=Decimal("0"))
    coops["late"] = c = _coop("Koperasi Terlambat")
    _rat(c, YEAR - 1, rat_date=dt.date(YEAR - 1, 7, 1), members_women=30, shu=Decimal("7"))
    coops["dissolved"] = c = _coop("Koperasi Bubar", dissolved_at=dt.date(YEAR, 6, 1))
    _rat(c, YEAR, members_men=25)
    coops["dissolved_later"] = c = _coop(
        "Koperasi Bubar Nanti", dissolved_at=dt.date(YEAR + 1, 1, 1)
    )
    _rat(c, YEAR - 1, members_men=25, shu=Decimal("3"))
    coops["archived"] = c = _coop("Koperasi Diarsipkan", nik_koperasi="3276000000002")
    _rat(c, YEAR - 1, members_men=25)
    _certify(c, dt.date(YEAR - 1, 1, 1))
    c.archived_at = timezone.now()
    c.save()
    return coops


def _reference_facts(year, cooperatives):
    """The facts read one cooperative at a time, as the registry described them."""
    window = selectors.activity_window()
    result = {}
    for coop in cooperatives:
        report = (
            RatReport.objects.filter(cooperative=coop, archived_at__isnull=True, year__lte=year)
            .order_by("-year")
            .first()
        )
        rat_year = report.year if report else None
        dissolved = coop.dissolved_at is not None and coop.dissolved_at.year <= year
        members = report.members_total if report else None
        certified = (
            CompetenceCertificate.objects.filter(
                archived_at__isnull=True,
                official__cooperative=coop,
                official__archived_at__isnull=True,
                official__cooperative__archived_at__isnull=True,
                issued_on__year__lte=year,
            )
            .filter(Q(expires_on__isnull=True) | Q(expires_on__year__gte=year))
            .values("official")
            .distinct()
            .count()
        )
        result[coop.pk] = {
            "as_of_year": year,
            "status": coop_rules.activity_status(rat_year, year, window, dissolved=dissolved).code,
            "last_rat_year": rat_year,
            "rat_tepat_waktu": (
                coop_rules.rat_on_time(report.year - 1, report.rat_date)
                if report and report.rat_date
                else None
            ),
            "simpan_pinjam": coop.jenis == "simpan_pinjam" or coop.has_usp,
            "shu": report.shu if report else None,
            "jumlah_anggota": members,
            "pembukuan_digital": coop.bookkeeping_digital,
            "layanan_daring": coop.online_services,
            "transaksi_nontunai": coop.cashless_payments,
            "jumlah_pengelola_bersertifikat": certified,
            "punya_nik_koperasi": bool(coop.nik_koperasi),
        }
    return result


@pytest.mark.parametrize("year", [YEAR - 1, YEAR, YEAR + 1])
def test_bulk_facts_equal_the_facts_read_one_cooperative_at_a_time(registry, year):
    everyone = Cooperative.objects.all()
    bulk = selectors.quality_facts(year, everyone)
    assert bulk == _reference_facts(year, everyone)
    for coop_facts in bulk.values():  # same types too (a count, not a bool; Decimal SHU)
        assert type(coop_facts["shu"]) in (Decimal, type(None))
        assert type(coop_facts["pembukuan_digital"]) is bool
    # Without a queryset: the cooperatives on the register.
    assert selectors.quality_facts(year) == _reference_facts(year, Cooperative.objects.active())
    # One cooperative (the detail page).
    plain = registry["plain"]
    one = selectors.quality_facts(year, Cooperative.objects.filter(pk=plain.pk))
    assert one == _reference_facts(year, [plain])


def test_facts_of_the_registry_itself(registry):
    facts = selectors.quality_facts(YEAR, Cooperative.objects.all())
    plain = facts[registry["plain"].pk]
    assert plain["last_rat_year"] == YEAR
    assert plain["jumlah_anggota"] == 21
    assert plain["shu"] == Decimal("1500.50")
    assert plain["jumlah_pengelola_bersertifikat"] == 1
    assert plain["punya_nik_koperasi"] is True
    assert facts[registry["archived_latest"].pk]["last_rat_year"] == YEAR - 4
    assert facts[registry["archived_latest"].pk]["status"] == "tidak_aktif"
    assert facts[registry["no_report"].pk]["simpan_pinjam"] is True
    assert facts[registry["no_report"].pk]["jumlah_anggota"] is None
    assert facts[registry["no_date"].pk]["rat_tepat_waktu"] is None
    assert facts[registry["late"].pk]["rat_tepat_waktu"] is False
    assert facts[registry["dissolved"].pk]["status"] == "dibubarkan"
    assert facts[registry["dissolved_later"].pk]["status"] == "aktif"
    assert facts[registry["archived"].pk]["jumlah_pengelola_bersertifikat"] == 0


# ------------------------------------------------------------------------------ rule evaluation


def _engine_qualifying(year, queryset=None):
    sets = selectors.rule_sets()
    result: dict[str, set[int]] = {code: set() for code in sets}
    for coop_id, coop_facts in selectors.quality_facts(year, queryset).items():
        for code in sets:
            rules = coop_rules.expand_rule_set(sets, code)
            if coop_rules.all_met(coop_rules.evaluate_rule_set(rules, coop_facts)):
                result[code].add(coop_id)
    return result


def test_qualifying_ids_equal_the_engine_for_the_shipped_and_custom_rule_sets(
    registry, monkeypatch
):
    monkeypatch.setattr(coop_rules, "SELECTIVITY_SAMPLE", 2)  # order rules even for a few
    selectors.rule_sets()  # the shipped sets
    QualityRuleSet.objects.create(
        code="besar",
        label="Besar",
        includes=["berkualitas"],
        rules=[
            {"code": "a", "label": "A", "fact": "jumlah_anggota", "op": ">=", "value": 21},
            {"code": "s", "label": "S", "fact": "shu", "op": "<=", "value": 1000},
        ],
    )
    QualityRuleSet.objects.create(
        code="longgar",
        label="Longgar",
        rules=[
            {"code": "a", "label": "A", "fact": "status", "op": "in", "value": ["aktif"]},
            {"code": "w", "label": "W", "fact": "last_rat_year", "op": "within_years", "value": 2},
            {"code": "n", "label": "N", "fact": "skor", "op": ">", "value": 0.5},
            {
                "code": "u",
                "label": "U",
                "fact": "shu",
                "op": ">",
                "value": 0,
                "applies_if": {"fact": "punya_nik_koperasi", "op": "true"},
            },
        ],
    )
    QualityRuleSet.objects.create(code="kosong", label="Kosong", rules=[])
    everyone = Cooperative.objects.all()
    scores = {
        c.pk: value
        for c, value in zip(everyone.order_by("pk"), [0.7, "0.9", 1, None] * 3, strict=False)
    }
    fact_registry.register(
        "test",
        lambda ids, year: {
            pk: {"patuh_pemeriksaan": True, "predikat_kesehatan": "Sehat", "skor": score}
            for pk, score in scores.items()
        },
    )
    try:
        for year in (YEAR - 1, YEAR, YEAR + 1):
            got = selectors.qualifying_ids(year, everyone)
            assert got == _engine_qualifying(year, everyone)
            assert selectors.qualifying_ids(year) == _engine_qualifying(year)
        assert got["kosong"] == set(scores)
        assert got["berkualitas"], "some cooperatives meet the shipped rules"
    finally:
        fact_registry.unregister("test")


def test_an_unknown_operator_still_raises_as_the_engine_does(registry):
    QualityRuleSet.objects.all().delete()
    QualityRuleSet.objects.create(
        code="rusak",
        label="Rusak",
        rules=[{"code": "x", "label": "X", "fact": "status", "op": "~", "value": 1}],
    )
    with pytest.raises(ValueError, match="unknown operator"):
        selectors.qualifying_ids(YEAR)
