import ast
from pathlib import Path

FORUM = Path(__file__).resolve().parents[1]


def _imported_names(tree: ast.AST, package: str) -> list[str]:
    """Every name imported anywhere in the module: top level, inside functions
    and under `if TYPE_CHECKING:` alike, since a cycle dodged by moving the
    import into a function is still a cycle."""
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            # `from forum.services import audit` imports the module forum.services.audit.
            names += [f"{base}.{alias.name}" for alias in node.names] or [base]
    return names


def forum_import_graph() -> dict[str, set[str]]:
    """{module: the forum modules it imports}, over forum/**.py."""
    paths = {}
    for path in FORUM.rglob("*.py"):
        parts = list(path.relative_to(FORUM.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        paths[".".join(parts)] = path
    graph: dict[str, set[str]] = {module: set() for module in paths}
    for module, path in paths.items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for name in _imported_names(ast.parse(path.read_text(), filename=str(path)), package):
            # The longest forum module the name starts with (a name may be a function of it).
            while name and name not in paths:
                name = name.rpartition(".")[0]
            if name and name != module:
                graph[module].add(name)
    return graph


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's
    algorithm, iterative so a deep graph cannot hit the recursion limit)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    cycles.append(sorted(component))
    return cycles


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


def test_no_module_of_the_domain_imports_itself_back_through_others():
    # Shared pieces go into a module of their own that both sides import
    # (forum/services/review_queue.py, forum/demo/context.py), not into an
    # import hidden inside a function.
    cycles = import_cycles(forum_import_graph())
    assert cycles == [], "import cycles in forum/: " + "; ".join(" <-> ".join(cycle) for cycle in cycles)


def test_the_cycle_check_sees_imports_inside_functions_and_relative_imports(tmp_path, monkeypatch):
    package = tmp_path / "forum"
    (package / "services").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "services" / "__init__.py").write_text("")
    (package / "services" / "a.py").write_text("from forum.services import b\n")
    (package / "services" / "b.py").write_text("def f():\n    from .c import g\n")
    (package / "services" / "c.py").write_text("import forum.services.a\n")
    (package / "services" / "d.py").write_text("from forum.services.a import thing\n")
    monkeypatch.setattr(f"{__name__}.FORUM", package)

    assert import_cycles(forum_import_graph()) == [["forum.services.a", "forum.services.b", "forum.services.c"]]
