"""How a notebook marks its cells: the `%%nnlings ID` first line and the `nnlings:ID` tag."""

from __future__ import annotations

MAGIC = "%%nnlings"
"""The cell magic that opens every exercise cell."""
TAG_PREFIX = "nnlings:"
"""Exercise cells carry the tag `nnlings:<exercise id>`."""
SETUP_TAG = "nnlings:setup"
"""The tag of the first cell, which loads the extension."""


def magic_line(exercise_id: str) -> str:
    return f"{MAGIC} {exercise_id}"


def magic_id(source: str) -> str | None:
    """The id named by a `%%nnlings ID` first line; None when the cell does not start with one."""
    first = source.lstrip("\n").split("\n", 1)[0].split()
    if not first or first[0] != MAGIC:
        return None
    return first[1] if len(first) > 1 else ""


def tag_id(metadata: dict) -> str | None:
    """The exercise id of the first `nnlings:<id>` tag (the setup tag aside); None without one."""
    for tag in metadata.get("tags", ()):
        if isinstance(tag, str) and tag.startswith(TAG_PREFIX) and tag != SETUP_TAG:
            return tag[len(TAG_PREFIX):]
    return None


def cell_exercise(cell) -> str | None:
    """The exercise a code cell holds. The visible first line wins over the hidden tag: it is what the kernel runs."""
    if cell.get("cell_type") != "code":
        return None
    return magic_id(source_text(cell)) or tag_id(cell.get("metadata", {}))


def source_text(cell) -> str:
    """A cell's source as one string (notebooks on disk may store it as a list of lines)."""
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def body(source: str) -> str:
    """The cell's code without its `%%nnlings` first line, ending in exactly one newline."""
    if magic_id(source) is not None:
        source = source.lstrip("\n").split("\n", 1)[1] if "\n" in source.lstrip("\n") else ""
    return source.rstrip("\n") + "\n"
