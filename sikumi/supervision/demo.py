"""Example data for layanan kelembagaan, supervision and health assessment, for the example
cooperatives (``is_example=True``) that exist. Every record is labelled ``is_example=True``.

Idempotent: a part (cases, inspections, assessments) that already has example records is
skipped as a whole, as the registry's own generator does. Fast: rows are
built in memory and written with ``bulk_create``; health results come from
``sikumi.rules.health.compute`` (pure, no query per row).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from sikumi.rules import health as health_rules
from sikumi.rules import supervision as supervision_rules
from sikumi.supervision import services
from sikumi.supervision.choices import CaseStatus, DecisionResult, ServiceKind
from sikumi.supervision.models import (
    CaseRequirement,
    CaseStatusChange,
    ChecklistTemplate,
    Finding,
    FollowUp,
    HealthAssessment,
    Inspection,
    InspectionAnswer,
    InspectionPlan,
    PlannedInspection,
    RequirementTemplate,
    Sanction,
    ServiceCase,
)

YEARS = range(2021, 2027)

APPLICANTS = [
    "Ahmad Fauzi", "Siti Rahmawati", "Budi Santoso", "Dewi Lestari", "Hendra Gunawan",
    "Nur Aini", "Rudi Hartono", "Yuni Kartika", "Agus Salim", "Rina Marlina",
]  # fmt: skip


def _cooperatives() -> tuple[list[Any], list[Any]]:
    from sikumi.cooperatives.models import Cooperative

    every = list(
        Cooperative.objects.active()
        .filter(is_example=True)
        .only("id", "name", "jenis", "has_usp", "pola", "legal_entity_date", "dissolved_at")
        .order_by("id")
    )
    savings = [c for c in every if c.jenis == "simpan_pinjam" or c.has_usp]
    return every, savings


def _date_in(rng: random.Random, year: int, until: dt.date) -> dt.date:
    start = dt.date(year, 1, 2)
    end = min(dt.date(year, 12, 20), until)
    if end <= start:
        return start
    return start + dt.timedelta(days=rng.randrange((end - start).days))


# ============================================================================== cases


def _cases(rng: random.Random, every: list[Any], savings: list[Any], today: dt.date) -> int:
    owner = services.default_unit(services.KELEMBAGAAN)
    if owner is None or ServiceCase.objects.filter(is_example=True).exists():
        return 0
    templates: dict[str, list[RequirementTemplate]] = {}
    for template in RequirementTemplate.objects.active().order_by("order"):
        templates.setdefault(template.kind, []).append(template)
    cases: list[ServiceCase] = []

    def add(coop: Any, kind: str, requested: dt.date, status: str, result: str = "") -> None:
        decided = None
        if result:
            decided = min(today, requested + dt.timedelta(days=rng.randint(5, 45)))
        cases.append(
            ServiceCase(
                kind=kind,
                cooperative=coop,
                proposed_name=""
                if coop
                else f"Koperasi Warga {rng.choice(['Mandiri', 'Sejahtera', 'Bersama'])}",
                applicant_name=rng.choice(APPLICANTS),
                status=status,
                requested_on=requested,
                decided_on=decided,
                service_days=(decided - requested).days if decided else None,
                owner_unit=owner,
                founder_count=rng.randint(9, 40) if kind == ServiceKind.PENDIRIAN else None,
                decision_result=result,
                decision_number=f"518/{rng.randint(100, 999)}/DKUM/{decided:%Y}" if decided else "",
                decision_date=decided,
                is_example=True,
            )
        )

    for coop in savings:
        if rng.random() < 0.85:  # most KSP/USP hold an IUSP, issued 2012-2024
            requested = dt.date(rng.randint(2012, 2024), rng.randint(1, 12), rng.randint(1, 28))
            add(coop, ServiceKind.IUSP, requested, CaseStatus.SELESAI, DecisionResult.DISETUJUI)
    for coop in every:
        if rng.random() < 0.25:
            year = rng.choice(list(YEARS))
            requested = _date_in(rng, year, today - dt.timedelta(days=60))
            add(
                coop,
                ServiceKind.PERUBAHAN_AD,
                requested,
                CaseStatus.SELESAI,
                DecisionResult.DISETUJUI,
            )
        if rng.random() < 0.05:
            requested = today - dt.timedelta(days=rng.randint(3, 40))
            status = rng.choice([CaseStatus.DIAJUKAN, CaseStatus.VERIFIKASI, CaseStatus.PERBAIKAN])
            add(
                coop,
                rng.choice([ServiceKind.PERUBAHAN_AD, ServiceKind.KANTOR_KAS]),
                requested,
                status,
            )
    if not ServiceCase.objects.filter(is_example=True, kind=ServiceKind.PENDIRIAN).exists():
        for year in YEARS:
            for _ in range(rng.randint(1, 3)):
                requested = _date_in(rng, year, today - dt.timedelta(days=20))
                result = rng.choice([DecisionResult.DISETUJUI] * 4 + [DecisionResult.DITOLAK])
                add(None, ServiceKind.PENDIRIAN, requested, result, result)
    ServiceCase.objects.bulk_create(cases, batch_size=1000)
    requirements = []
    for case in cases:
        case.number = f"LK-{case.requested_on:%Y}-{case.pk:05d}"
        closed = case.status not in (
            CaseStatus.DIAJUKAN,
            CaseStatus.VERIFIKASI,
            CaseStatus.PERBAIKAN,
        )
        for template in templates.get(case.kind, []):
            if template.syariah_only and not (
                case.cooperative and case.cooperative.pola == "syariah"
            ):
                continue
            requirements.append(
                CaseRequirement(
                    case=case,
                    template=template,
                    label=template.label,
                    mandatory=template.mandatory,
                    order=template.order,
                    fulfilled=closed or rng.random() < 0.5,
                )
            )
    ServiceCase.objects.bulk_update(cases, ["number"], batch_size=1000)
    CaseRequirement.objects.bulk_create(requirements, batch_size=2000)
    CaseStatusChange.objects.bulk_create(_status_history(cases, today), batch_size=2000)
    return len(cases)


def _status_history(cases: list[ServiceCase], today: dt.date) -> list[CaseStatusChange]:
    """The moves each example case went through to reach its status, as the case services
    would have written them."""
    zone = timezone.get_current_timezone()

    def at(day: dt.date, hour: int) -> dt.datetime:
        return dt.datetime.combine(min(day, today), dt.time(hour), tzinfo=zone)

    rows: list[CaseStatusChange] = []
    for case in cases:
        moves: list[tuple[str, dt.date]] = [(CaseStatus.DIAJUKAN, case.requested_on)]
        after = case.requested_on + dt.timedelta(days=1)
        if case.status in (CaseStatus.VERIFIKASI, CaseStatus.PERBAIKAN):
            moves.append((CaseStatus.VERIFIKASI, after))
        if case.status == CaseStatus.PERBAIKAN:
            moves.append((CaseStatus.PERBAIKAN, after + dt.timedelta(days=2)))
        if case.decided_on:
            moves.append((CaseStatus.VERIFIKASI, after))
            moves.append((CaseStatus.DIPROSES, after + dt.timedelta(days=2)))
            moves.append((case.decision_result, case.decided_on))
        if case.status == CaseStatus.SELESAI:
            moves.append((CaseStatus.SELESAI, case.decided_on or after))
        previous = ""
        for hour, (status, day) in enumerate(moves, start=8):
            rows.append(
                CaseStatusChange(
                    case=case, from_status=previous, to_status=status, changed_at=at(day, hour)
                )
            )
            previous = status
    return rows


# ======================================================================== inspections


def _inspections(rng: random.Random, savings: list[Any], today: dt.date) -> int:
    owner = services.default_unit(services.PENGAWASAN)
    checklist = ChecklistTemplate.objects.filter(is_active=True).order_by("-revision").first()
    if owner is None or checklist is None or not savings:
        return 0
    items = list(checklist.items.all())
    if Inspection.objects.filter(is_example=True).exists():
        return 0
    todo = list(savings)
    plans = {}
    for year in YEARS:
        plan = InspectionPlan.objects.filter(year=year, owner_unit=owner, archived_at=None).first()
        if plan is None:
            plan = InspectionPlan.objects.create(
                year=year,
                title=f"Rencana pemeriksaan koperasi {year}",
                owner_unit=owner,
                is_example=True,
            )
        plans[year] = plan
    planned: list[PlannedInspection] = []
    inspections: list[Inspection] = []
    for year, plan in plans.items():
        chosen = rng.sample(todo, k=min(len(todo), max(5, len(todo) // 4)))
        for coop in chosen:
            quarter = rng.randint(1, 4)
            item = PlannedInspection(plan=plan, cooperative=coop, quarter=quarter)
            planned.append(item)
            month = 3 * (quarter - 1) + rng.randint(1, 3)
            date = dt.date(year, month, rng.randint(1, 28))
            if date >= today:
                continue
            inspections.append(
                Inspection(
                    cooperative=coop,
                    planned=item,
                    date=date,
                    number=f"BA-{rng.randint(1, 999):03d}/PGW/{year}",
                    inspector_names="Tim Pengawasan Koperasi",
                    checklist=checklist,
                    owner_unit=owner,
                    is_example=True,
                )
            )
    PlannedInspection.objects.bulk_create(planned, batch_size=1000)
    for inspection in inspections:
        inspection.planned_id = inspection.planned.pk  # type: ignore[union-attr]
    answers: list[InspectionAnswer] = []
    compliant_share = 0.85
    per_inspection: list[list[tuple[int, str]]] = []
    for inspection in inspections:
        failing = rng.random() > compliant_share
        answered: list[tuple[Any, str]] = []
        for check in items:
            answer = "ya"
            if not check.mandatory and rng.random() < 0.3:
                answer = rng.choice(["tidak", "na"])
            answered.append((check, answer))
        if failing:
            index = rng.choice([i for i, check in enumerate(items) if check.mandatory])
            answered[index] = (items[index], "tidak")
        inspection.result = supervision_rules.inspection_result(
            (c.mandatory, a) for c, a in answered
        )
        per_inspection.append([(c.pk, a) for c, a in answered])
    Inspection.objects.bulk_create(inspections, batch_size=1000)
    findings: list[Finding] = []
    for inspection, rows in zip(inspections, per_inspection, strict=True):
        for item_id, answer in rows:
            answers.append(InspectionAnswer(inspection=inspection, item_id=item_id, answer=answer))
        if inspection.result == "tidak_patuh":
            failed = next(item_id for item_id, answer in rows if answer == "tidak")
            findings.append(
                Finding(
                    inspection=inspection,
                    item_id=failed,
                    description="Ketentuan wajib belum dipenuhi pada saat pemeriksaan.",
                    severity=rng.choice(["ringan", "sedang", "berat"]),
                    recommendation="Penuhi ketentuan dan laporkan kepada Dinas.",
                )
            )
    InspectionAnswer.objects.bulk_create(answers, batch_size=5000)
    Finding.objects.bulk_create(findings, batch_size=1000)
    follow_ups = []
    sanctions = []
    for finding in findings:
        due = finding.inspection.date + dt.timedelta(days=90)
        done_ = due < today and rng.random() < 0.8
        follow_ups.append(
            FollowUp(
                finding=finding,
                action="Perbaikan sesuai rekomendasi pemeriksaan",
                due_date=due,
                responsible="Pengurus koperasi",
                status="done" if done_ else "open",
                done_on=due - dt.timedelta(days=rng.randint(0, 60)) if done_ else None,
            )
        )
        if finding.severity == "berat":
            sanctions.append(
                Sanction(
                    cooperative_id=finding.inspection.cooperative_id,
                    inspection=finding.inspection,
                    kind="teguran_1",
                    number=f"800/{rng.randint(10, 99)}/PGW/{finding.inspection.date:%Y}",
                    date=finding.inspection.date + dt.timedelta(days=14),
                    reason="Ketentuan wajib tidak dipenuhi.",
                    owner_unit=owner,
                    is_example=True,
                )
            )
    FollowUp.objects.bulk_create(follow_ups, batch_size=1000)
    Sanction.objects.bulk_create(sanctions, batch_size=1000)
    return len(inspections)


# ============================================================================== health

EXAMPLE_2016 = {
    "modal_sendiri": 12500000, "total_aset": 30000000, "pinjaman_berisiko": 5000000,
    "modal_tertimbang": 1050000, "atmr": 15000000, "pinjaman_anggota": 16650000,
    "pinjaman_diberikan": 22701250, "pinjaman_kurang_lancar": 1200000,
    "pinjaman_diragukan": 800000, "pinjaman_macet": 500000, "cadangan_risiko": 900000,
    "manajemen_umum_ya": 10, "manajemen_kelembagaan_ya": 5, "manajemen_permodalan_ya": 4,
    "manajemen_aktiva_ya": 8, "manajemen_likuiditas_ya": 3, "beban_operasi_anggota": 2300000,
    "partisipasi_bruto": 2500000, "beban_usaha": 1100000, "shu_kotor": 2000000,
    "biaya_karyawan": 1500000, "volume_pinjaman": 25000000, "kas": 500000, "bank": 1600000,
    "kewajiban_lancar": 15000000, "dana_diterima": 26000000, "shu_sebelum_pajak": 1800000,
    "shu_bagian_anggota": 500000, "partisipasi_neto": 2250000, "beban_perkoperasian": 400000,
    "pendapatan": 1500000, "promosi_ekonomi_anggota": 400000, "simpanan_pokok": 1000000,
    "simpanan_wajib": 4000000,
}  # fmt: skip
QUESTIONS = {
    "manajemen_umum_ya": 12,
    "manajemen_kelembagaan_ya": 6,
    "manajemen_permodalan_ya": 5,
    "manajemen_aktiva_ya": 10,
    "manajemen_likuiditas_ya": 5,
}


def _inputs(rng: random.Random, quality: float) -> dict[str, int]:
    """Book-year figures of a KSP whose overall quality is ``quality`` (0 weak .. 1 strong),
    scaled to a size between Rp150 million and Rp15 billion of assets."""
    scale = Decimal(rng.choice([5, 10, 20, 40, 80, 150, 300, 500]))
    inputs = {k: int(Decimal(v) * scale) for k, v in EXAMPLE_2016.items() if k not in QUESTIONS}
    for key, count in QUESTIONS.items():
        inputs[key] = max(
            0, min(count, round(count * (quality * 0.6 + 0.4) + rng.uniform(-1.5, 1)))
        )
    loans = inputs["pinjaman_diberikan"]
    inputs["pinjaman_anggota"] = int(loans * min(1.0, 0.3 + 0.6 * quality + rng.uniform(-0.1, 0.1)))
    problem = max(0.0, 0.25 - 0.25 * quality + rng.uniform(-0.03, 0.05))
    inputs["pinjaman_macet"] = int(loans * problem * 0.4)
    inputs["pinjaman_diragukan"] = int(loans * problem * 0.3)
    inputs["pinjaman_kurang_lancar"] = int(loans * problem * 0.3)
    inputs["pinjaman_berisiko"] = int(loans * min(0.5, 0.4 - 0.3 * quality + rng.uniform(0, 0.1)))
    cash_ratio = rng.choice([0.12, 0.14, 0.18, 0.25]) if quality > 0.4 else rng.choice([0.08, 0.3])
    inputs["kas"] = int(inputs["kewajiban_lancar"] * cash_ratio * 0.25)
    inputs["bank"] = int(inputs["kewajiban_lancar"] * cash_ratio * 0.75)
    return inputs


def _ratings(rng: random.Random, definition: dict[str, Any], quality: float) -> dict[str, int]:
    """Inputs of a rating methodology (Juknis 2021): each indicator rated 1 (best) to 4 by the
    examiner, better for a better-run cooperative."""
    best = 1 + round(3 * (1 - quality))
    return {
        key: max(1, min(4, best + rng.choice([-1, 0, 0, 0, 1]))) for key in definition["fields"]
    }


def _rated_only(definition: dict[str, Any]) -> bool:
    return all(
        component["kind"] == "rating"
        for aspect in definition["aspects"]
        for component in aspect["components"]
    )


def _assessments(rng: random.Random, savings: list[Any], today: dt.date) -> int:
    """Example assessments of every closed book year since 2020, each with the methodology in
    force for its book year (`services.methodology_for_year`): 2016 up to 2020, 2021 after."""
    services.methodologies_load()
    owner = services.default_unit(services.PENGAWASAN)
    last_book_year = today.year - 1
    methods = {
        year: services.methodology_for_year(year) for year in range(2020, last_book_year + 1)
    }
    if owner is None or None in methods.values():
        return 0
    if HealthAssessment.objects.filter(is_example=True).exists():
        return 0
    rows: list[HealthAssessment] = []
    for coop in savings:
        base = rng.betavariate(3, 2)  # about 3 in 4 Sehat or Cukup Sehat
        for year, methodology in methods.items():
            if rng.random() < 0.2:  # not every KSP/USP is assessed every year
                continue
            assert methodology is not None
            definition = methodology.definition
            quality = max(0.0, min(1.0, base + rng.uniform(-0.12, 0.12)))
            inputs = (
                _ratings(rng, definition, quality)
                if _rated_only(definition)  # examiner's ratings (Juknis 2021)
                else _inputs(rng, quality)  # figures from the books (Perdep 2016)
            )
            try:
                result = health_rules.compute(definition, inputs)
            except health_rules.HealthInputError:
                continue
            rows.append(
                HealthAssessment(
                    cooperative=coop,
                    year=year,
                    methodology=methodology,
                    assessed_on=dt.date(year + 1, rng.randint(2, 10), rng.randint(1, 28)),
                    inputs=inputs,
                    result=result.as_dict(),
                    total_score=result.total,
                    predicate=result.predicate,
                    owner_unit=owner,
                    is_example=True,
                )
            )
    rows = [r for r in rows if r.assessed_on <= today]
    HealthAssessment.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


@transaction.atomic
def generate(*, seed: int = 2026) -> str:
    """Cases, inspection plans and inspections 2021-2026 and health assessments (with the
    methodology of each book year) for the example cooperatives; returns a one-line summary."""
    rng = random.Random(seed)
    today = timezone.localdate()
    every, savings = _cooperatives()
    every = [c for c in every if c.dissolved_at is None]
    savings = [c for c in savings if c.dissolved_at is None]
    if not every:
        return "Belum ada koperasi contoh; tidak ada yang ditambahkan."
    cases = _cases(rng, every, savings, today)
    inspections = _inspections(rng, savings, today)
    assessments = _assessments(rng, savings, today)
    healthy = (
        HealthAssessment.objects.filter(is_example=True, year=today.year - 1)
        .filter(Q(predicate="Sehat") | Q(predicate="Cukup Sehat"))
        .count()
    )
    return (
        f"{cases} layanan kelembagaan, {inspections} pemeriksaan, {assessments} penilaian "
        f"kesehatan ({healthy} Sehat/Cukup Sehat tahun buku {today.year - 1})."
    )
