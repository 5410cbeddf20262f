import ast
from pathlib import Path

FORUM = Path(__file__).resolve().parents[1]


def test_the_domain_imports_neither_the_api_nor_the_pages():
    offenders = []
    for path in FORUM.rglob("*.py"):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.relative_to(FORUM)}: {n}" for n in names if n.split(".")[0] in {"api", "frontend"}]
    assert offenders == []
