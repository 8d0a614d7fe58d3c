"""Loading region codes (Kemendagri) and the instance's boundaries."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

from django.db import transaction

from sikumi.regions.models import Region

DATA_DIR = Path(__file__).parent / "data"
CODES_FILE = DATA_DIR / "wilayah-indonesia.csv"
BOUNDARY_FILES = [DATA_DIR / "depok-kecamatan.geojson", DATA_DIR / "depok-kelurahan.geojson"]


def level_of(code: str) -> int:
    return code.count(".") + 1


def parent_of(code: str) -> str | None:
    return code.rsplit(".", 1)[0] if "." in code else None


def _rows(path: Path, prefix: str | None) -> Iterator[tuple[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            code = row["kode"].strip()
            if prefix is None or code == prefix[:2] or code.startswith(prefix):
                yield code, row["nama"].strip()


@transaction.atomic
def regions_load(*, path: Path = CODES_FILE, only: str | None = None, batch: int = 5000) -> int:
    """Insert the region codes not yet present. `only` limits to one kab/kota (and its province).

    Region codes are reference data, not business records: they are not audited row by row.
    """
    existing = set(Region.objects.values_list("code", flat=True))
    pending: list[Region] = []
    created = 0
    for code, name in _rows(path, only):
        if code in existing:
            continue
        pending.append(
            Region(code=code, name=name, level=level_of(code), parent_id=parent_of(code))
        )
        if len(pending) >= batch:
            Region.objects.bulk_create(pending)
            created += len(pending)
            pending = []
    if pending:
        Region.objects.bulk_create(pending)
        created += len(pending)
    return created


@transaction.atomic
def boundaries_load(paths: list[Path] | None = None) -> int:
    updated = 0
    for path in paths or BOUNDARY_FILES:
        data = json.loads(path.read_text(encoding="utf-8"))
        for feature in data["features"]:
            props = feature["properties"]
            updated += Region.objects.filter(code=props["kode"]).update(
                geometry=feature["geometry"], latitude=props.get("lat"), longitude=props.get("lng")
            )
    return updated
