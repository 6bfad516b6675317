"""The grader is laid out by role, and imports run one way: from the command line down to the shared core.

A module may import from its own room and from the rooms below it, never from one above: a newcomer can
read a room knowing only what lies beneath it, and a change in a lower room never needs one in a higher.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "grader"
# Top to bottom. `grader/__init__.py` holds only the version and counts as the core.
ORDER = ("cli", "commands", "authoring", "grading", "learner", "testing", "runner", "core")
ROOMS = ORDER[2:]


def room_of(module: str) -> str:
    """'grader.testing.plugin' -> 'testing'; 'grader.cli' -> 'cli'; 'grader' -> 'core'."""
    parts = module.split(".")
    if len(parts) == 1 or parts[1] == "__main__":
        return "core" if len(parts) == 1 else "cli"
    return parts[1]


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import of a grader module in `path`, at any depth (lazy imports count too)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.split(".")[0] == "grader"]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and \
                node.module.split(".")[0] == "grader":
            if node.module == "grader":
                found += [(node.lineno, f"grader.{a.name}") for a in node.names if not a.name.startswith("__")]
            else:
                found.append((node.lineno, node.module))
    return found


def modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        dotted = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        yield path, dotted.removesuffix(".__init__")


def test_every_module_lives_in_a_room():
    loose = [d for _, d in modules() if room_of(d) not in ORDER]
    assert not loose, f"modules outside the rooms {ORDER}: {loose}"


@pytest.mark.parametrize("room", ORDER)
def test_imports_run_downwards(room):
    upward = []
    for path, dotted in modules():
        if room_of(dotted) != room:
            continue
        for line, target in imports(path):
            if ORDER.index(room_of(target)) < ORDER.index(room):
                upward.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {target} "
                              f"({room_of(target)} is above {room})")
    assert not upward, "\n".join(upward)


def test_the_rooms_say_what_they_hold():
    for room in ROOMS:
        init = PACKAGE / room / "__init__.py"
        assert init.is_file() and ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), room
