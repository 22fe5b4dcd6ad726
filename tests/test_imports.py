"""The import graph of lkjip (AST scan, nothing imported): no cycles among module-level imports nor counting
function-local ones, the ground floor (shape.py) imports nothing of the project, no private names imported across
modules."""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "lkjip"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _base(module: str, node: ast.ImportFrom) -> str:
    """The module an ImportFrom imports from, absolute."""
    if not node.level:
        return node.module or ""
    package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
    for _ in range(node.level - 1):
        package = package.rpartition(".")[0]
    return f"{package}.{node.module}" if node.module else package


def _resolve(module: str, node: ast.ImportFrom) -> list[str]:
    """Project modules an ImportFrom names: the module itself, or its submodules when names are modules."""
    base = _base(module, node)
    if not base.startswith("lkjip"):
        return []
    out = []
    for alias in node.names:
        if f"{base}.{alias.name}" in MODULES:
            out.append(f"{base}.{alias.name}")
        elif base in MODULES:
            out.append(base)
    return out


def _imports(module: str, lazy: bool) -> set[str]:
    """Project modules `module` imports: at module level (lazy=False: statements outside functions and classes,
    `if`/`try` blocks included), or anywhere (lazy=True)."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    nodes = ast.walk(tree) if lazy else _top_level(tree.body)
    found: set = set()
    for node in nodes:
        if isinstance(node, ast.ImportFrom):
            found.update(_resolve(module, node))
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name in MODULES)
    found.discard(module)
    return found


def _top_level(body):
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        yield node
        for field in ("body", "orelse", "finalbody", "handlers"):
            yield from _top_level(getattr(node, field, None) or ())


def _cycles(graph: dict) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def _parent_packages(module: str) -> set[str]:
    """Importing a.b.c runs a/__init__ and a/b/__init__ first: not an edge of the design, left out."""
    parts = module.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts))}


def _graph(lazy: bool) -> dict:
    return {m: _imports(m, lazy) - _parent_packages(m) for m in MODULES}


def test_the_scan_sees_the_package():
    graph = _graph(lazy=False)
    assert "lkjip.base.shape" in MODULES and "lkjip.render.build" in MODULES
    assert "lkjip.base.shape" in graph["lkjip.validate.checks"]
    assert "lkjip.render.directives" in graph["lkjip.render.prose"]


def test_no_import_cycle_at_module_level():
    assert _cycles(_graph(lazy=False)) == []


def test_no_import_cycle_even_counting_function_local_imports():
    """render.build <-> render.layout (write_atomic re-exported) and render.directives <-> render.sandbox were
    cycles through lazy imports; none is allowed."""
    assert _cycles(_graph(lazy=True)) == []


def test_the_ground_floor_imports_nothing_of_the_project():
    assert _imports("lkjip.base.shape", lazy=True) == set()


def _defined(module: str) -> set[str]:
    """Names a module defines at its top level (functions, classes, assignments, imports)."""
    names = set()
    for node in ast.parse(MODULES[module].read_text(encoding="utf-8")).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
    for node in _top_level(ast.parse(MODULES[module].read_text(encoding="utf-8")).body):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(n.id for target in targets for n in ast.walk(target) if isinstance(n, ast.Name))
    return names


def test_every_imported_name_exists():
    """`from lkjip.x import name`, also inside functions: the name is defined in x (a moved or renamed name
    fails here, not when a rarely used command runs)."""
    missing = []
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom) or not _base(module, node).startswith("lkjip"):
                continue
            base = _base(module, node)
            for alias in node.names:
                if f"{base}.{alias.name}" in MODULES:
                    continue                                  # a submodule
                if base not in MODULES or alias.name not in _defined(base):
                    missing.append(f"{module}: {alias.name} from {base}")
    assert missing == []


def test_no_private_name_imported_across_modules():
    found = []
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and _resolve(module, node):
                found += [f"{module}: {a.name}" for a in node.names
                          if a.name.startswith("_") and not a.name.startswith("__")]
    assert found == []


# The floors, lowest first: a module may import its own floor and those below, never one above. Stages never
# import the tools built on them; the ground floor imports no stage.
FLOORS = ("lkjip.base", "lkjip.load", "lkjip.validate", "lkjip.compute", "lkjip.render", "lkjip.pipeline",
          "lkjip.tools", "lkjip.cli")


def _floor(module: str) -> int:
    for i, prefix in enumerate(FLOORS):
        if module == prefix or module.startswith(prefix + "."):
            return i
    return len(FLOORS)                        # lkjip, lkjip.__main__: the entry points


def test_no_upward_import_between_floors():
    """load -> validate -> compute -> render are the stages; tools/ is built on them (and on pipeline), never the
    other way; base/ is the ground floor. Function-local imports count too."""
    graph = _graph(lazy=True)
    upward = sorted(f"{m} -> {t}" for m, targets in graph.items() for t in targets
                    if _floor(t) > _floor(m) and _floor(m) < len(FLOORS))
    assert upward == []


def test_every_module_sits_on_a_floor():
    assert sorted(m for m in MODULES if _floor(m) == len(FLOORS)) == ["lkjip", "lkjip.__main__"]


# Function-local imports are the exception (CONTRIBUTING "Imports"): a heavy third-party library, a platform-only
# module, or - in a module that says "Lazy on purpose" - the project's writers and tools behind a command.
PLATFORM_ONLY = {"msvcrt", "fcntl"}


def _function_local_imports():
    for module, path in MODULES.items():
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        top = set(map(id, _top_level(tree.body)))
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)) and id(node) not in top:
                yield module, source, node


def test_function_local_imports_are_only_the_deliberate_ones():
    import sys
    wrong = []
    for module, source, node in _function_local_imports():
        if isinstance(node, ast.ImportFrom) and node.level or (getattr(node, "module", None) or "").startswith("lkjip"):
            if "Lazy on purpose" not in source:
                wrong.append(f"{module}:{node.lineno} {ast.unparse(node)} (project module; no 'Lazy on purpose' note)")
            continue
        root = (node.module if isinstance(node, ast.ImportFrom) else node.names[0].name).split(".")[0]
        if root in sys.stdlib_module_names and root not in PLATFORM_ONLY:
            wrong.append(f"{module}:{node.lineno} {ast.unparse(node)} (standard library: import it at the top)")
    assert wrong == []


def test_the_deliberate_lazy_imports_keep_check_light():
    """What the notes promise: `check` (cli + pipeline, validation and plan cached) never loads the writers."""
    import subprocess
    import sys
    code = ("import sys, lkjip.cli, lkjip.pipeline, lkjip.render.build; "
            "print(sorted(m for m in ('docx', 'matplotlib', 'openpyxl') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PACKAGE.parent, check=True)
    assert out.stdout.strip() == "[]"
