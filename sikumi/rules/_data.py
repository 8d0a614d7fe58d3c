"""Loading of the JSON data files shipped in ``sikumi/rules/data/`` (not part of the public API)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

DATA_PACKAGE = "sikumi.rules"


@cache
def _load_text(name: str) -> str:
    return resources.files(DATA_PACKAGE).joinpath("data", name).read_text(encoding="utf-8")


def load_json(name: str) -> Any:
    """A fresh copy of a shipped data file, so callers may change it without side effects."""
    return json.loads(_load_text(name))
