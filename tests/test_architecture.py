"""The shape of the package (docs/architecture.md), kept so by the suite: imports run one way, and each concept
has one home (audit events, the reference format, configuration defaults)."""
import ast
import re
from pathlib import Path

import pytest
from importlinter.cli import lint_imports

from support import create_app
from support.config import Defaults

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "support"
SOURCES = sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)


def _tree(path: Path) -> ast.AST:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _calls_of(name: str) -> set[str]:
    """The modules (paths under support/) that call a constructor or function `name`."""
    found = set()
    for path in SOURCES:
        tree = _tree(path)
        elsewhere = any(isinstance(n, ast.ImportFrom) and n.level == 0 and not (n.module or "").startswith("support")
                        and name in {a.name for a in n.names} for n in ast.walk(tree))
        if elsewhere:               # another library's class of that name (flask_mail's Message)
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
                if called == name:
                    found.add(str(path.relative_to(PACKAGE)))
    return found


def test_import_contracts_hold(monkeypatch):
    """pyproject.toml [tool.importlinter]: layers (agent -> mail -> tickets -> outbox), search behind search.py."""
    monkeypatch.chdir(ROOT)
    assert lint_imports(no_cache=True, no_logo=True) == 0


@pytest.mark.parametrize("constructor, home", [
    ("Event", {"tickets/operations.py"}),        # one function records an audit event
    ("Message", {"tickets/operations.py"}),      # one writer of the thread
    ("Ticket", {"tickets/operations.py"}),
    ("InboundMail", {"mail/ingest.py"}),         # mail intake owns its rows
    ("OutboxMail", {"outbox/queue.py"}),
])
def test_one_module_builds_each_row(constructor, home):
    assert _calls_of(constructor) == home


def test_the_reference_format_has_one_home():
    pattern = re.compile(r"SE\|NO|:06d")          # a reference pattern, or the number formatted into one
    homes = {str(p.relative_to(PACKAGE)) for p in SOURCES if pattern.search(p.read_text(encoding="utf-8"))}
    assert homes == {"tickets/references.py"}


def test_configuration_defaults_have_one_home():
    """No module sets a default of its own: no config.setdefault, no config.get(KEY, default)."""
    for path in SOURCES:
        if path.name == "config.py":
            continue
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and isinstance(node.func.value, ast.Attribute) and node.func.value.attr == "config":
                assert node.func.attr != "setdefault", f"{path}:{node.lineno}: config.setdefault"
                assert not (node.func.attr == "get" and len(node.args) > 1), f"{path}:{node.lineno}: a default"


def test_every_setting_read_has_a_default(tmp_path):
    """Each config["KEY"] the package reads is declared in support/config.py (or is one of Flask's own)."""
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                      "UPLOAD_DIR": str(tmp_path)})
    read = set()
    for path in SOURCES:
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) \
                    and node.value.attr == "config" and isinstance(node.slice, ast.Constant):
                read.add(node.slice.value)
    declared = {k for k in vars(Defaults) if k.isupper()}
    flask_own = set(app.config) - declared
    assert read <= declared | flask_own, sorted(read - declared - flask_own)


def test_blueprint_modules_import_nothing_at_the_bottom():
    """Routes are registered by the package's __init__, not by imports at the end of a view module."""
    for path in SOURCES:
        body = _tree(path).body
        first_code = next((i for i, n in enumerate(body)
                           if not isinstance(n, (ast.Import, ast.ImportFrom, ast.Expr))), len(body))
        late = [n for n in body[first_code:] if isinstance(n, (ast.Import, ast.ImportFrom))]
        assert not late, f"{path.relative_to(PACKAGE)}:{late[0].lineno}: an import after the module's code"


def test_the_package_has_no_import_cycle():
    """Module by module, as a reader following the imports would find them (grimp builds the graph)."""
    import grimp
    graph = grimp.build_graph("support")
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            assert not graph.chain_exists(imported, module), f"{module} <-> {imported}"
