"""Import one exercise file from a tree laid out like exercises/, after a static look for forbidden names."""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import ModuleType

from grader.core.paths import exercise_file

DOTTED = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
# Libraries that would do the exercise for the learner.
FORBIDDEN_MODULES = ("torch", "scipy", "sklearn", "tensorflow", "jax")
# Calls that look a module or an attribute up by a name given as a string.
LOOKUPS = {"getattr", "hasattr", "__import__", "import_module", "find_spec", "attrgetter", "methodcaller",
           "__getattribute__", "__getattr__", "get", "pop", "setdefault", "eval", "exec", "compile"}
# Operators a manifest may forbid, with the dunder methods that spell them without the symbol.
OPERATORS = {"@": ("__matmul__", "__rmatmul__", "__imatmul__", "matmul")}
OPERATOR_NODES = {"@": ast.MatMult}
# Message keys (failure.*) that say what to write instead, for uses that are not a NumPy function.
INSTEAD = {spelling: "forbidden_matmul" for spelling in ("@", *OPERATORS["@"])}


class LoadError(Exception):
    """The exercise file is missing or does not import. `kind` is 'missing' or 'broken'."""

    def __init__(self, kind: str, path: Path, detail: str, line: int | None = None):
        super().__init__(detail)
        self.kind, self.path, self.detail, self.line = kind, path, detail, line


class ForbiddenError(Exception):
    """The exercise file uses a library or a NumPy shortcut this exercise does not allow."""

    def __init__(self, path: Path, uses: list["Use"]):
        super().__init__(", ".join(u.name for u in uses))
        self.path, self.uses = path, uses


@dataclass(frozen=True)
class Use:
    name: str
    line: int


def find_forbidden(source: str, forbid: tuple[str, ...] = ()) -> list[Use]:
    """Imports of FORBIDDEN_MODULES and any use of a forbidden attribute or operator, by line."""
    return list(_forbidden(source, tuple(forbid)))


@lru_cache(maxsize=128)  # every test of an exercise loads the same file afresh: read it once per version
def _forbidden(source: str, forbid: tuple[str, ...]) -> tuple[Use, ...]:
    tree = ast.parse(source)
    attrs = {name.rsplit(".", 1)[-1] for name in forbid if name not in OPERATORS}
    attrs |= {dunder for name in forbid for dunder in OPERATORS.get(name, ())}
    operators = {OPERATOR_NODES[name]: name for name in forbid if name in OPERATORS}
    found: list[Use] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [Use(a.name, node.lineno) for a in node.names if _banned_module(a.name)]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if _banned_module(node.module):
                found.append(Use(node.module, node.lineno))
            found += [Use(f"{node.module}.{a.name}", node.lineno) for a in node.names if a.name in attrs]
        elif isinstance(node, ast.Attribute) and node.attr in attrs and _may_be_numpy(node):
            found.append(Use(_dotted(node), node.lineno))
        elif isinstance(node, (ast.BinOp, ast.AugAssign)) and type(node.op) in operators:
            found.append(Use(operators[type(node.op)], node.lineno))
    found += [Use(s.value, s.lineno) for s in looked_up_strings(tree)
              if _banned_module(s.value) or s.value in attrs]
    return tuple(sorted(set(found), key=lambda u: (u.line, u.name)))


def looked_up_strings(tree: ast.AST) -> list[ast.Constant]:
    """Strings that reach a lookup by name: getattr, importlib, __import__, a subscript such as
    vars(np)["name"], directly or through a variable. `__all__`, prose and a string that names one of
    the file's own functions are not uses (the runner's guard still sees a real call at run time)."""
    numpy_names = _numpy_aliases(tree)
    own = {n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
    keys: list[tuple[ast.AST, bool]] = []  # (expression whose strings are looked up, on numpy itself)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _call_name(node.func) in LOOKUPS:
            on_numpy = bool(node.args) and _dotted(node.args[0]).split(".")[0] in numpy_names
            keys += [(arg, on_numpy) for arg in (*node.args, *(k.value for k in node.keywords))]
        elif isinstance(node, ast.Subscript) and _may_be_a_namespace(node.value, numpy_names):
            keys.append((node.slice, _dotted(node.value).split(".")[0] in numpy_names))
    variables = {n.id for expr, _ in keys for n in ast.walk(expr) if isinstance(n, ast.Name)}
    for node in ast.walk(tree):  # name = "broadcast_to"; for name in [...]; then getattr(np, name)
        for target, value in _bindings(node):
            if any(isinstance(n, ast.Name) and n.id in variables for n in ast.walk(target)):
                keys.append((value, False))
    return [s for expr, on_numpy in keys for s in ast.walk(expr)
            if isinstance(s, ast.Constant) and isinstance(s.value, str) and DOTTED.match(s.value)
            and (on_numpy or s.value not in own)]


def _may_be_numpy(node: ast.Attribute) -> bool:
    """Whether `x.name` may reach NumPy: not an attribute being set (`self.pad = 1`) nor one of `self`'s."""
    root = node
    while isinstance(root, ast.Attribute):
        root = root.value
    return isinstance(node.ctx, ast.Load) and not (isinstance(root, ast.Name) and root.id in ("self", "cls"))


def _may_be_a_namespace(value: ast.AST, numpy_names: set[str]) -> bool:
    """Whether `value[...]` may look a name up in a module: `vars(np)[...]`, `np.__dict__[...]`, `globals()[...]`,
    not a plain dict or array of the learner's (`sizes["pad"]`)."""
    return isinstance(value, ast.Call) or _dotted(value).split(".")[0] in numpy_names


def _bindings(node: ast.AST):
    """(target, value) pairs that bind names: assignments, for loops and comprehensions."""
    if isinstance(node, ast.Assign):
        return [(t, node.value) for t in node.targets]
    if isinstance(node, (ast.AnnAssign, ast.AugAssign, ast.NamedExpr)) and node.value is not None:
        return [(node.target, node.value)]
    if isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
        return [(node.target, node.iter)]
    return []


def _call_name(func: ast.AST) -> str:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _numpy_aliases(tree: ast.AST) -> set[str]:
    names = {"numpy"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names if a.name.split(".")[0] == "numpy"}
    return names


def _banned_module(name: str) -> bool:
    return name.split(".")[0] in FORBIDDEN_MODULES


def _dotted(node: ast.AST) -> str:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    return ".".join(reversed(parts))


def load_exercise(tree: Path, exercise_id: str, forbid: tuple[str, ...] = ()) -> ModuleType:
    """A fresh module object for `exercise_id` from `tree`; raises LoadError or ForbiddenError."""
    path = exercise_file(tree, exercise_id)
    return _import(path, exercise_id, checked_source(path, forbid))


def checked_source(path: Path, forbid: tuple[str, ...] = ()) -> str:
    """The source of an exercise file that exists, reads, parses and names nothing forbidden."""
    try:
        source = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LoadError("missing", path, "file not found") from None
    except (OSError, UnicodeDecodeError) as err:
        raise LoadError("broken", path, str(err)) from None
    try:
        uses = find_forbidden(source, forbid)
    except SyntaxError as err:
        raise LoadError("broken", path, f"SyntaxError: {err.msg}", err.lineno) from None
    if uses:
        raise ForbiddenError(path, uses)
    return source


def _import(path: Path, exercise_id: str, source: str) -> ModuleType:
    digest = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:10]
    name = f"nnlings_impl_{digest}_{exercise_id.replace('.', '_')}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses and pickling look a module up by name
    try:
        exec(_compiled(source, str(path)), module.__dict__)  # a fresh module each time, compiled once
    except NotImplementedError:
        raise
    except Exception as err:  # noqa: BLE001 - any error in learner code is a load failure
        sys.modules.pop(name, None)
        line = _learner_line(err, path)
        raise LoadError("broken", path, f"{type(err).__name__}: {err}", line) from err
    return module


@lru_cache(maxsize=128)
def _compiled(source: str, filename: str):
    return compile(source, filename, "exec", dont_inherit=True)


def _learner_line(err: BaseException, path: Path) -> int | None:
    if isinstance(err, SyntaxError):
        return err.lineno
    tb, line = err.__traceback__, None
    while tb is not None:
        if Path(tb.tb_frame.f_code.co_filename) == path:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
