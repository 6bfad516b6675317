"""Write plain data back as TOML: just enough for curriculum.toml (tables, arrays of tables, strings, numbers).

Nested tables inside a table are written as dotted keys (`title.en = "..."`), so an [[exercise]] entry stays
one block. tomllib reads back exactly the data that went in (the release tests check this on the whole kit).
"""

from __future__ import annotations

import json
import math
import re

BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def dumps(data: dict, header: str = "") -> str:
    """TOML text for `data`: scalars and arrays first, then tables, then arrays of tables."""
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    scalars = {k: v for k, v in data.items() if not isinstance(v, dict) and not _is_table_array(v)}
    lines += _assignments(scalars)
    for key, value in data.items():
        if isinstance(value, dict):
            lines += ["", f"[{_key(key)}]", *_assignments(value)]
    for key, value in data.items():
        if _is_table_array(value):
            for entry in value:
                lines += ["", f"[[{_key(key)}]]", *_assignments(entry)]
    return "\n".join(lines).lstrip("\n") + "\n"


def _is_table_array(value) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _assignments(table: dict, prefix: str = "") -> list[str]:
    lines = []
    for key, value in table.items():
        name = prefix + _key(key)
        if isinstance(value, dict):
            lines += _assignments(value, name + ".")
        else:
            lines.append(f"{name} = {_value(value)}")
    return lines


def _key(key: str) -> str:
    return key if BARE_KEY.match(key) else _string(key)


def _value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list):
        items = [_value(v) for v in value]
        one_line = "[" + ", ".join(items) + "]"
        if len(one_line) <= 100 and "\n" not in one_line:
            return one_line
        return "[\n" + "".join(f"    {item},\n" for item in items) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write a {type(value).__name__} as TOML")


def _string(text: str) -> str:
    # JSON's escapes (\" \\ \n \t \uXXXX) are TOML's too; TOML also forbids a raw DEL character.
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007F")
