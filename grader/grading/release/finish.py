"""The last step of a Gradescope run: make sure results.json exists and carries the assignment's visibility.

    python -m grader.grading.release.finish RESULTS --visibility V [--lang L] [--nothing-found]

With --nothing-found the submission held no exercise file: a score of 0 and a sentence saying what was
expected. Without results.json after grading, grading broke: a sentence and no score, never a zero.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from grader.core import manifest as manifest_mod
from grader.core.i18n import t
from grader.core.paths import KitNotFound, exercise_file, kit_root
from grader.grading.assignment import VISIBILITIES


def nothing_found(lang: str) -> dict:
    """Results for a submission without any exercise file: zero, and where the files were expected."""
    try:
        ids = [e.id for e in manifest_mod.load(kit_root()).exercises]
    except (KitNotFound, manifest_mod.ManifestError):  # the list is a courtesy; never let it hide the message
        ids = []
    expected = ", ".join(exercise_file(Path("exercises"), i).as_posix() for i in ids)
    return {"score": 0, "output": t("bundle.nothing_found", lang, expected=expected), "tests": []}


def finish(results: Path, visibility: str, lang: str = "en", *, found: bool = True) -> dict:
    """Read, fix up and rewrite `results`; returns what was written."""
    if not found:
        data = nothing_found(lang)
    else:
        try:
            data = json.loads(results.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            data = {"output": t("bundle.no_results", lang, detail=err), "tests": [],
                    "extra_data": {"error": str(err)}}
    for test in data.get("tests", []):
        test["visibility"] = visibility
    results.parent.mkdir(parents=True, exist_ok=True)
    tmp = results.with_name(f".{results.name}.tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, results)
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grader.grading.release.finish")
    parser.add_argument("results")
    parser.add_argument("--visibility", choices=VISIBILITIES, default="visible")
    parser.add_argument("--lang", default="en")
    parser.add_argument("--nothing-found", action="store_true")
    args = parser.parse_args(argv)
    finish(Path(args.results), args.visibility, args.lang, found=not args.nothing_found)
    return 0


if __name__ == "__main__":
    sys.exit(main())
