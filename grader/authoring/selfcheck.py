"""The author's self-check: the layout matches the manifest, stubs are in sync, solutions pass,
stubs are todo, and every catalogued mistake fails its tests and is named."""

from __future__ import annotations

import ast
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from grader.core.i18n import LANGUAGES
from grader.core.manifest import Manifest
from grader.core.paths import exercise_file, mistakes_file, test_file
from grader.core.run import RunResult, run_tests
from grader.core.sync import stale
from grader.testing.mistakes import catalogue
from grader.testing.questions import questions

KIT_TESTS = "kit"  # tests/kit/ holds the grader's own tests, not an exercise module
MIN_HINTS = 3
MIN_MISTAKES = 3
SECOND_OPINION = Path("tests") / KIT_TESTS / "second_opinion"  # an independent correct version of each exercise


@dataclass
class Findings:
    problems: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def test_functions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [n.name for n in tree.body if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")]


def public_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}


def layout(root: Path, manifest: Manifest) -> list[str]:
    """Entries without files, files without entries, empty hints, unlisted or missing tests and functions."""
    problems = []
    known = {e.id for e in manifest.exercises}
    for ex in manifest.exercises:
        for kind, path in (("solution", exercise_file(root / "solutions", ex.id)),
                           ("stub", exercise_file(root / "exercises", ex.id)), ("test file", test_file(root, ex.id))):
            if not path.is_file():
                problems.append(f"{ex.id}: the {kind} {path.relative_to(root)} is missing")
        for lang in LANGUAGES:
            hints = ex.hint_list(lang) if lang in ex.hints else ()
            if len([h for h in hints if h.strip()]) < MIN_HINTS:
                problems.append(f"{ex.id}: needs at least {MIN_HINTS} non-empty hints in {lang}")
            if not ex.intro.get(lang, "").strip():
                problems.append(f"{ex.id}: has no intro in {lang}")
        if not ex.tests:
            problems.append(f"{ex.id}: lists no tests")
        tests = test_file(root, ex.id)
        if tests.is_file():
            found = set(test_functions(tests))
            for lang in LANGUAGES[1:]:
                asked = questions(root, lang)
                problems += [f"{ex.id}: test {n} has no {lang} question in tests/locales/{lang}.toml"
                             for n in sorted(found) if f"{ex.id}.{n}" not in asked]
            problems += [f"{ex.id}: test {n} is listed but not in {tests.name}" for n in sorted(set(ex.tests) - found)]
            problems += [f"{ex.id}: test {n} in {tests.name} has no weight in the manifest" for n in sorted(found - set(ex.tests))]
        solution = exercise_file(root / "solutions", ex.id)
        if solution.is_file():
            missing = set(ex.functions) - public_names(solution)
            problems += [f"{ex.id}: function {n} is listed but not defined in the solution" for n in sorted(missing)]
    for folder, pattern, strip in (("solutions", "*/*.py", ""), ("exercises", "*/*.py", ""), ("tests", "*/test_*.py", "test_")):
        for path in sorted((root / folder).glob(pattern)):
            if path.parent.name == KIT_TESTS and folder == "tests":
                continue
            exercise_id = f"{path.parent.name}.{path.stem.removeprefix(strip)}"
            if exercise_id not in known:
                problems.append(f"{path.relative_to(root)} has no entry in the manifest")
    return problems


def completeness(root: Path, manifest: Manifest) -> list[str]:
    """What an exercise needs beyond its files: titles in every language, a catalogue of mistakes, a second opinion."""
    problems = []
    for ex in manifest.exercises:
        problems += [f"{ex.id}: has no title in {lang}" for lang in LANGUAGES if not ex.title.get(lang, "").strip()]
        found = len(catalogue(root, ex.id))
        if found < MIN_MISTAKES:
            problems.append(f"{ex.id}: needs at least {MIN_MISTAKES} catalogued mistakes in "
                            f"{mistakes_file(root, ex.id).relative_to(root)} (has {found})")
        second = exercise_file(root / SECOND_OPINION, ex.id)
        if (root / SECOND_OPINION).is_dir() and not second.is_file():  # a copy without the kit's own tests has none
            problems.append(f"{ex.id}: has no second opinion, an independent correct version, at "
                            f"{second.relative_to(root)}")
    return problems


def mistake_texts(root: Path, manifest: Manifest) -> list[str]:
    problems = []
    for ex in manifest.exercises:
        for m in catalogue(root, ex.id):
            for lang in LANGUAGES:
                if not m.title.get(lang, "").strip() or not m.why.get(lang, "").strip():
                    problems.append(f"{ex.id}: mistake {m.key} lacks its {lang} title or explanation")
    return problems


def run_four(root: Path, ids: list[str]) -> tuple[RunResult, RunResult, RunResult, RunResult]:
    """Solutions, stubs, mistakes and default mutants, run side by side (each is its own pytest process)."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        solutions = pool.submit(run_tests, root, ids, "solutions")
        stubs = pool.submit(run_tests, root, ids, "exercises", extra=("--nnlings-run-stubs",))  # for real
        # A wrong version needs running only until a test catches it: the rest of its cases are skipped.
        mistakes = pool.submit(run_tests, root, ids, "solutions", extra=("--nnlings-mistakes", "--nnlings-until-caught"))
        mutants = pool.submit(run_tests, root, ids, "solutions",
                              extra=("--nnlings-default-mutants", "--nnlings-until-caught"))
        return solutions.result(), stubs.result(), mistakes.result(), mutants.result()


def default_verdicts(ex, mutants: RunResult) -> list[str]:
    """A default mutant that passes every test and is not listed as equivalent, or one listed that a test kills."""
    statuses: dict[str, list[str]] = {}
    for c in mutants.cases:
        key = wrong_version(c)
        if c["exercise"] == ex.id and key:
            statuses.setdefault(key.removeprefix("default."), []).append(c["status"])
    problems = []
    for name, seen in statuses.items():
        survives = "failed" not in seen
        if survives and name not in ex.equivalent_defaults:
            func, param = name.split(".", 1)
            problems.append(f"{ex.id}: changing the default of {param} in {func} passes every test: call {func} "
                            f"with {param} left out where the result shows it, or list \"{name}\" under "
                            "equivalent_defaults with the reason no test can see it")
        if not survives and name in ex.equivalent_defaults:
            problems.append(f"{ex.id}: equivalent_defaults lists {name}, but a test tells its mutant apart: unlist it")
    return problems


def judge_runs(root: Path, manifest: Manifest, solutions: RunResult, stubs: RunResult, mistakes: RunResult,
               mutants: RunResult, only: list[str] | None = None) -> Findings:
    found = Findings()
    judged = [ex for ex in manifest.exercises if only is None or ex.id in only]
    for run, what in ((solutions, "solutions"), (stubs, "stubs"), (mistakes, "mistakes"), (mutants, "default mutants")):
        found.problems += [f"{what}: {e['nodeid']} did not collect" for e in run.collect_errors]
    unwritten = Counter(c["exercise"] for c in solutions.cases if _not_written(c))
    found.problems += [f"solution fails: {c['nodeid']}\n{_indent(c['message'])}" for c in solutions.cases
                       if c["status"] != "passed" and c["exercise"] not in unwritten]
    found.problems += [f"{i}: the solution is not written yet: {n} check(s) raise NotImplementedError"
                       for i, n in unwritten.items()]
    found.problems += [f"stub is {c['status']}, not todo: {c['nodeid']}" for c in stubs.cases if c["status"] != "todo"]
    for ex in judged:
        ran = {c["test"] for c in solutions.cases if c["exercise"] == ex.id}
        found.problems += [f"{ex.id}: listed test {n} never ran" for n in sorted(set(ex.tests) - ran)]
        for m in catalogue(root, ex.id):
            found.problems += mistake_verdict(ex.id, m, mistakes.cases)
        found.problems += default_verdicts(ex, mutants)
    found.counts = {
        "exercises": len(judged),
        "solution checks pass": sum(c["status"] == "passed" for c in solutions.cases),
        "stub checks todo": sum(c["status"] == "todo" for c in stubs.cases),
        "mistakes": sum(len(catalogue(root, ex.id)) for ex in judged),
        "default mutants killed": len({(c["exercise"], wrong_version(c)) for c in mutants.cases
                                       if c["status"] == "failed" and wrong_version(c)}),
    }
    return found


def wrong_version(case: dict) -> str | None:
    """The key of the mistake or default mutant a case ran on (its `mistake=KEY` parameter), or None."""
    return next((p.removeprefix("mistake=") for p in case["params"].split("-") if p.startswith("mistake=")), None)


def mistake_verdict(exercise_id: str, mistake, cases: list[dict]) -> list[str]:
    mine = [c for c in cases if c["exercise"] == exercise_id and wrong_version(c) == mistake.key]
    failed = [c for c in mine if c["status"] == "failed"]
    if not failed:
        return [f"{exercise_id}: mistake {mistake.key} passes every test"]
    named = [c for c in failed if mistake.title["en"] in c["message"]]
    if not named:
        return [f"{exercise_id}: mistake {mistake.key} fails {len(failed)} test(s) but no message names it"]
    return []


def _not_written(case: dict) -> bool:
    """A solution check that ended in NotImplementedError: the reference is still a skeleton."""
    return case["status"] != "passed" and "NotImplementedError" in case["message"]


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines()[:40])


def self_check(root: Path, manifest: Manifest, only: list[str] | None = None) -> Findings:
    """The whole self-check; with `only`, the tests of those exercises alone are run (the layout is always
    checked whole, which is quick)."""
    found = Findings(layout(root, manifest) + completeness(root, manifest) + mistake_texts(root, manifest))
    found.problems += [f"{p.relative_to(root)} is out of sync with its solution: run `nnlings dev sync`"
                       for p in stale(root, manifest)]
    ids = [e.id for e in manifest.exercises
           if exercise_file(root / "solutions", e.id).is_file() and test_file(root, e.id).is_file()
           and (only is None or e.id in only)]
    runs = judge_runs(root, manifest, *run_four(root, ids), only=only)
    found.problems += runs.problems
    found.counts = runs.counts
    return found
