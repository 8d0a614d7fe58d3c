"""Small text helpers of the registry (no Django): search keys."""


def name_key(value: str | None) -> str:
    """Lower-case, single-spaced name used for indexed prefix search."""
    return " ".join((value or "").split()).lower()[:200]
