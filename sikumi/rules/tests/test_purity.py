"""The rules package must stay importable and testable without Django."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent


def test_no_module_imports_django():
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not any(name.split(".")[0] in {"django", "rest_framework"} for name in names), (
                path
            )
