"""Plain data model of a Renstra (strategic plan) document and its YAML loader.

No Django here: the classes are plain dataclasses so the plan can be checked (see
``checker.py``) and reviewed without a database. A Django loader maps them 1:1 later.

Every figure is a :class:`Figure`: the parsed value ``v`` beside the string ``p`` exactly as
the source document prints it. ``parse_printed`` turns ``p`` into ``v``; the data files keep
both so reviewers can compare them with the source and tests can prove they agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import yaml

NumberFormat = Literal["id", "en"]
Value = Decimal | str | None

#: Printed strings that mean "no value".
EMPTY_MARKERS = {"", "-", "N.A", "NA", "N/A", "#DIV/0!"}
#: SAKIP/AKIP letter grades (kept as text).
GRADES = {"AA", "A", "BB", "B", "CC", "C", "D"}

_NUMBER_RE = re.compile(
    r"""^(?:Rp\.?\s*)?                 # optional currency prefix
        (?P<num>[-+]?\d[\d.,]*)         # digits with separators
        \s*(?P<pct>%)?                  # optional percent sign
        \s*(?P<rest>.*?)\s*$            # unit word or parenthesised note
    """,
    re.VERBOSE,
)
_REST_RE = re.compile(r"^(?:[A-Za-z²]+\.?)?\s*(?:\(.*\))?$")


class PrintedValueError(ValueError):
    """A printed string that cannot be read as a figure."""


def parse_printed(printed: str, fmt: NumberFormat = "id") -> Value:
    """Parse a printed figure.

    ``fmt="id"`` (Indonesian): dot groups thousands, comma marks decimals ("1.234,5").
    ``fmt="en"``: comma groups thousands, dot marks decimals ("1,234.50").
    A trailing "%" is dropped (the value stays in percent units), as is a trailing unit word
    ("Orang", "Dokumen", "M" for miliar) or a parenthesised note. "-", "N.A", "#DIV/0!" and
    blank give ``None``; SAKIP letter grades are returned as text.
    """
    text = printed.strip()
    if text in EMPTY_MARKERS or text.replace("Rp", "").strip() in EMPTY_MARKERS:
        return None
    if text in GRADES:
        return text
    match = _NUMBER_RE.match(text)
    if not match or not _REST_RE.match(match.group("rest")):
        raise PrintedValueError(f"not a figure: {printed!r}")
    num = match.group("num")
    # drop the grouping separator, make the decimal separator a dot
    num = num.replace(".", "").replace(",", ".") if fmt == "id" else num.replace(",", "")
    if num.count(".") > 1:
        raise PrintedValueError(f"ambiguous separators in {printed!r}")
    return Decimal(num)


def to_value(raw: Any) -> Value:
    """Normalise a YAML scalar (int, float, str, None) to Decimal/str/None."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise TypeError("boolean is not a figure")
    if isinstance(raw, int | float):
        return Decimal(str(raw))
    if isinstance(raw, str) and raw in GRADES:
        return raw
    return Decimal(str(raw))


@dataclass
class Figure:
    """A value beside its printed form."""

    v: Value
    p: str
    fmt: NumberFormat = "id"
    note: str = ""

    @property
    def number(self) -> Decimal | None:
        return self.v if isinstance(self.v, Decimal) else None

    @property
    def is_percent(self) -> bool:
        return "%" in self.p

    def decimals(self) -> int:
        """Number of decimals printed (precision of the printed figure)."""
        sep = "," if self.fmt == "id" else "."
        match = re.search(r"\d[\d.,]*", self.p)
        if not match:
            return 0
        digits = match.group(0)
        return len(digits.split(sep, 1)[1]) if sep in digits else 0


YearFigures = dict[int, Figure]


@dataclass
class Indicator:
    id: str
    name: str
    definition: str = ""
    unit: str = ""
    polarity: Literal["higher", "lower"] = "higher"
    combine: Literal["sum", "last", "average", "as_printed"] = "last"
    data_dasar: Figure | None = None
    baseline: Figure | None = None
    targets: YearFigures = field(default_factory=dict)
    end_target: Figure | None = None
    ref: str = ""  # id of the indicator this one restates (IKU -> tujuan/sasaran)
    note: str = ""


@dataclass
class PlanItem:
    """Program, kegiatan or sub kegiatan with its indicators and indicative budget."""

    id: str
    level: Literal["program", "kegiatan", "sub_kegiatan"]
    name: str
    code: str = ""
    unit: str = ""  # responsible unit (sekretariat, bidang-..., uptd)
    sasaran: str = ""
    indicators: list[Indicator] = field(default_factory=list)
    pagu: YearFigures = field(default_factory=dict)
    pagu_total: Figure | None = None
    children: list[PlanItem] = field(default_factory=list)
    note: str = ""

    def walk(self) -> list[PlanItem]:
        items = [self]
        for child in self.children:
            items.extend(child.walk())
        return items


@dataclass
class Misi:
    code: str
    text: str


@dataclass
class Tujuan:
    id: str
    code: str
    text: str
    misi: str = ""
    indicators: list[Indicator] = field(default_factory=list)


@dataclass
class Sasaran:
    id: str
    code: str
    text: str
    tujuan: str = ""
    indicators: list[Indicator] = field(default_factory=list)


@dataclass
class ArahKebijakan:
    id: str
    code: str
    text: str


@dataclass
class Strategi:
    id: str
    code: str
    text: str
    sasaran: str
    arah_kebijakan: list[ArahKebijakan] = field(default_factory=list)


@dataclass
class ProgramTable:
    title: str
    years: list[int]
    opd_pagu: YearFigures
    opd_pagu_total: Figure | None
    programs: list[PlanItem]

    def items(self) -> list[PlanItem]:
        return [item for program in self.programs for item in program.walk()]


@dataclass
class IkuRow:
    id: str
    sasaran: str
    indicator_ref: str
    name: str
    formula: str
    targets: YearFigures


@dataclass
class ServiceRow:
    """T-C.23 row: targets, realisations and printed achievement ratios per year."""

    id: str
    no: str
    name: str
    unit: str = ""
    polarity: Literal["higher", "lower"] = "higher"
    targets: YearFigures = field(default_factory=dict)
    realisations: YearFigures = field(default_factory=dict)
    ratios: YearFigures = field(default_factory=dict)
    average_ratio: Figure | None = None
    note: str = ""


@dataclass
class ServiceTable:
    title: str
    years: list[int]
    rows: list[ServiceRow]


@dataclass
class BudgetRow:
    """T-C.24 row: budget (anggaran) and realisation per year, printed ratios and averages."""

    id: str
    level: Literal["program", "kegiatan", "total"]
    name: str
    budget: YearFigures = field(default_factory=dict)
    realisation: YearFigures = field(default_factory=dict)
    ratios: YearFigures = field(default_factory=dict)
    avg_budget: Figure | None = None
    avg_realisation: Figure | None = None
    children: list[BudgetRow] = field(default_factory=list)
    note: str = ""


@dataclass
class NarrativeClaim:
    """A figure quoted in running text with the quantity the text says it is."""

    id: str
    quote: str
    claim: str  # name of the quantity, see checker.NARRATIVE_QUANTITIES
    figure: Figure
    direction: Literal["", "increase", "decrease"] = ""


@dataclass
class BudgetTable:
    title: str
    years: list[int]
    average_label: str
    average_kind: Literal["growth", "mean"]
    rows: list[BudgetRow]
    total: BudgetRow | None
    narrative: list[NarrativeClaim] = field(default_factory=list)


@dataclass
class CountRow:
    label: str
    value: Figure
    percent: Figure | None = None
    quantity: Figure | None = None
    unit: str = ""
    code: str = ""
    group: str = ""


@dataclass
class CountTable:
    """A table whose rows add up to a printed total (staff, assets)."""

    id: str
    title: str
    rows: list[CountRow]
    total: Figure | None = None
    total_ref: Figure | None = None  # the same total quoted elsewhere (e.g. in the text)
    unit: str = ""
    note: str = ""


@dataclass
class Meta:
    opd_name: str
    opd_short: str
    region: str
    region_code: str
    period_start: int
    period_end: int
    target_years: list[int]
    baseline_year: int
    source: str = ""


@dataclass
class PlanDocument:
    meta: Meta
    visi: str
    misi: list[Misi]
    tujuan: list[Tujuan] = field(default_factory=list)
    sasaran: list[Sasaran] = field(default_factory=list)
    strategi: list[Strategi] = field(default_factory=list)
    program_table: ProgramTable | None = None
    ikk: list[Indicator] = field(default_factory=list)
    iku: list[IkuRow] = field(default_factory=list)
    service: ServiceTable | None = None
    budget: BudgetTable | None = None
    resources: list[CountTable] = field(default_factory=list)

    def indicators(self) -> dict[str, Indicator]:
        """Every indicator of the plan by id."""
        found: list[Indicator] = []
        for tujuan in self.tujuan:
            found.extend(tujuan.indicators)
        for sasaran in self.sasaran:
            found.extend(sasaran.indicators)
        if self.program_table:
            for item in self.program_table.items():
                found.extend(item.indicators)
        found.extend(self.ikk)
        return {ind.id: ind for ind in found}

    def figures(self) -> list[tuple[str, Figure]]:
        """Every figure with a path, for consistency tests."""
        return list(_iter_figures(self, "doc"))


def _iter_figures(obj: Any, path: str) -> Any:
    if isinstance(obj, Figure):
        yield path, obj
    elif isinstance(obj, dict):
        for key, value in obj.items():
            yield from _iter_figures(value, f"{path}[{key}]")
    elif isinstance(obj, list):
        for index, value in enumerate(obj):
            label = getattr(value, "id", index)
            yield from _iter_figures(value, f"{path}[{label}]")
    elif hasattr(obj, "__dataclass_fields__"):
        for name in obj.__dataclass_fields__:
            yield from _iter_figures(getattr(obj, name), f"{path}.{name}")


# --- loading -----------------------------------------------------------------------------


def _figure(raw: Any, fmt: NumberFormat) -> Figure | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or "p" not in raw:
        raise ValueError(f"figure must be a mapping with 'p': {raw!r}")
    return Figure(
        v=to_value(raw.get("v")),
        p=str(raw["p"]),
        fmt=raw.get("fmt", fmt),
        note=raw.get("note", ""),
    )


def _years(raw: Any, fmt: NumberFormat) -> YearFigures:
    result: YearFigures = {}
    for year, value in (raw or {}).items():
        fig = _figure(value, fmt)
        if fig is not None:
            result[int(year)] = fig
    return result


def _indicator(raw: dict[str, Any], fmt: NumberFormat) -> Indicator:
    return Indicator(
        id=raw["id"],
        name=raw["name"],
        definition=raw.get("definition", ""),
        unit=raw.get("unit", ""),
        polarity=raw.get("polarity", "higher"),
        combine=raw.get("combine", "last"),
        data_dasar=_figure(raw.get("data_dasar"), fmt),
        baseline=_figure(raw.get("baseline"), fmt),
        targets=_years(raw.get("targets"), fmt),
        end_target=_figure(raw.get("end_target"), fmt),
        ref=raw.get("ref", ""),
        note=raw.get("note", ""),
    )


_CHILD_KEYS = {"program": "kegiatan", "kegiatan": "sub_kegiatan", "sub_kegiatan": ""}
_CHILD_LEVEL = {"program": "kegiatan", "kegiatan": "sub_kegiatan"}


def _plan_item(raw: dict[str, Any], level: str, fmt: NumberFormat) -> PlanItem:
    child_key = _CHILD_KEYS[level]
    children = [
        _plan_item(child, _CHILD_LEVEL[level], fmt)
        for child in (raw.get(child_key) or [] if child_key else [])
    ]
    return PlanItem(
        id=raw["id"],
        level=level,  # type: ignore[arg-type]
        name=raw["name"],
        code=str(raw.get("code") or ""),
        unit=raw.get("unit", ""),
        sasaran=raw.get("sasaran", ""),
        indicators=[_indicator(ind, fmt) for ind in raw.get("indicators") or []],
        pagu=_years(raw.get("pagu"), fmt),
        pagu_total=_figure(raw.get("pagu_total"), fmt),
        children=children,
        note=raw.get("note", ""),
    )


def _budget_row(raw: dict[str, Any], fmt: NumberFormat) -> BudgetRow:
    return BudgetRow(
        id=raw["id"],
        level=raw.get("level", "kegiatan"),
        name=raw["name"],
        budget=_years(raw.get("budget"), fmt),
        realisation=_years(raw.get("realisation"), fmt),
        ratios=_years(raw.get("ratios"), fmt),
        avg_budget=_figure(raw.get("avg_budget"), fmt),
        avg_realisation=_figure(raw.get("avg_realisation"), fmt),
        children=[_budget_row(child, fmt) for child in raw.get("kegiatan") or []],
        note=raw.get("note", ""),
    )


def _count_table(raw: dict[str, Any], fmt: NumberFormat) -> CountTable:
    rows = [
        CountRow(
            label=row["label"],
            value=_figure(row["value"], fmt),  # type: ignore[arg-type]
            percent=_figure(row.get("percent"), fmt),
            quantity=_figure(row.get("quantity"), fmt),
            unit=row.get("unit", ""),
            code=str(row.get("code", "")),
            group=row.get("group", ""),
        )
        for row in raw.get("rows") or []
    ]
    return CountTable(
        id=raw["id"],
        title=raw["title"],
        rows=rows,
        total=_figure(raw.get("total"), fmt),
        total_ref=_figure(raw.get("total_ref"), fmt),
        unit=raw.get("unit", ""),
        note=raw.get("note", ""),
    )


def _read(folder: Path, name: str) -> dict[str, Any] | None:
    path = folder / name
    if not path.exists():
        return None
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    if not isinstance(data, dict):
        raise ValueError(f"{path}: top level must be a mapping")
    return data


def load_document(path: str | Path) -> PlanDocument:
    """Read a plan folder (meta.yaml plus optional table files) into a PlanDocument."""
    folder = Path(path)
    meta_raw = _read(folder, "meta.yaml")
    if meta_raw is None:
        raise FileNotFoundError(folder / "meta.yaml")
    opd, period = meta_raw["opd"], meta_raw["period"]
    doc = PlanDocument(
        meta=Meta(
            opd_name=opd["name"],
            opd_short=opd.get("short_name", ""),
            region=opd.get("region", ""),
            region_code=str(opd.get("region_code", "")),
            period_start=int(period["start"]),
            period_end=int(period["end"]),
            target_years=[int(y) for y in period["target_years"]],
            baseline_year=int(period["baseline_year"]),
            source=meta_raw.get("source", ""),
        ),
        visi=meta_raw["visi"],
        misi=[Misi(code=str(m["code"]), text=m["text"]) for m in meta_raw.get("misi") or []],
    )

    if (raw := _read(folder, "tujuan-sasaran.yaml")) is not None:
        fmt = raw.get("number_format", "id")
        doc.tujuan = [
            Tujuan(
                id=t["id"],
                code=str(t["code"]),
                text=t["text"],
                misi=str(t.get("misi", "")),
                indicators=[_indicator(i, fmt) for i in t.get("indicators") or []],
            )
            for t in raw.get("tujuan") or []
        ]
        doc.sasaran = [
            Sasaran(
                id=s["id"],
                code=str(s["code"]),
                text=s["text"],
                tujuan=s.get("tujuan", ""),
                indicators=[_indicator(i, fmt) for i in s.get("indicators") or []],
            )
            for s in raw.get("sasaran") or []
        ]

    if (raw := _read(folder, "strategi.yaml")) is not None:
        doc.strategi = [
            Strategi(
                id=s["id"],
                code=str(s.get("code", "")),
                text=s["text"],
                sasaran=s["sasaran"],
                arah_kebijakan=[
                    ArahKebijakan(id=a["id"], code=str(a.get("code", "")), text=a["text"])
                    for a in s.get("arah_kebijakan") or []
                ],
            )
            for s in raw.get("strategi") or []
        ]

    if (raw := _read(folder, "program.yaml")) is not None:
        fmt = raw.get("number_format", "id")
        opd_row = raw.get("opd_total") or {}
        doc.program_table = ProgramTable(
            title=raw.get("title", ""),
            years=[int(y) for y in raw["years"]],
            opd_pagu=_years(opd_row.get("pagu"), fmt),
            opd_pagu_total=_figure(opd_row.get("pagu_total"), fmt),
            programs=[_plan_item(p, "program", fmt) for p in raw.get("programs") or []],
        )

    if (raw := _read(folder, "ikk.yaml")) is not None:
        fmt = raw.get("number_format", "id")
        doc.ikk = [_indicator(i, fmt) for i in raw.get("indicators") or []]

    if (raw := _read(folder, "iku.yaml")) is not None:
        fmt = raw.get("number_format", "id")
        doc.iku = [
            IkuRow(
                id=r["id"],
                sasaran=r["sasaran"],
                indicator_ref=r.get("indicator_ref", ""),
                name=r["name"],
                formula=r.get("formula", ""),
                targets=_years(r.get("targets"), fmt),
            )
            for r in raw.get("rows") or []
        ]

    if (raw := _read(folder, "tc23.yaml")) is not None:
        fmt = raw.get("number_format", "id")
        doc.service = ServiceTable(
            title=raw.get("title", ""),
            years=[int(y) for y in raw["years"]],
            rows=[
                ServiceRow(
                    id=r["id"],
                    no=str(r.get("no", "")),
                    name=r["name"],
                    unit=r.get("unit", ""),
                    polarity=r.get("polarity", "higher"),
                    targets=_years(r.get("targets"), fmt),
                    realisations=_years(r.get("realisations"), fmt),
                    ratios=_years(r.get("ratios"), fmt),
                    average_ratio=_figure(r.get("average_ratio"), fmt),
                    note=r.get("note", ""),
                )
                for r in raw.get("rows") or []
            ],
        )

    if (raw := _read(folder, "tc24.yaml")) is not None:
        fmt = raw.get("number_format", "id")
        total_raw = raw.get("total")
        doc.budget = BudgetTable(
            title=raw.get("title", ""),
            years=[int(y) for y in raw["years"]],
            average_label=raw.get("average_label", ""),
            average_kind=raw.get("average_kind", "mean"),
            rows=[_budget_row(r, fmt) for r in raw.get("programs") or []],
            total=_budget_row(total_raw, fmt) if total_raw else None,
            narrative=[
                NarrativeClaim(
                    id=n["id"],
                    quote=n["quote"],
                    claim=n["claim"],
                    figure=_figure(n["figure"], n.get("fmt", fmt)),  # type: ignore[arg-type]
                    direction=n.get("direction", ""),
                )
                for n in raw.get("narrative") or []
            ],
        )

    if (raw := _read(folder, "resources.yaml")) is not None:
        fmt = raw.get("number_format", "id")
        doc.resources = [_count_table(t, fmt) for t in raw.get("tables") or []]

    return doc
