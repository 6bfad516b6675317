"""Run an exercise's tests against each mutant of its solution (grader/authoring/mutate.py): killed, equivalent or survived.

A mutant is a scratch copy of solutions/ with the one file changed, run with `--impl=<that copy>`; each gets a
directory of its own, so no cached bytecode of an earlier mutant of the same size and second is ever reused.
A mutant is killed when a test fails or errors, when nothing passes, or when the run breaks or runs out of
time (a mutant may loop forever); it survives when every case passes. `-x` stops a run at its first failure,
so a killed mutant costs little; the runs are forks of a warm process where fork exists.
"""

from __future__ import annotations

import queue
import shutil
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from grader.authoring.mutate import Mutant, mutants
from grader.core.manifest import Exercise
from grader.core.paths import exercise_file
from grader.core.run import RunBroke, run_tests
from grader.learner.zygote_client import Zygote, ZygoteGone

TARGET = 0.9
"""The share of mutants (equivalents left out) an exercise's tests must kill."""
TEST_TIMEOUT = 10  # seconds for one test; a correct solution's tests each take well under one
PYTEST_ARGS = ("-x", "-o", f"timeout={TEST_TIMEOUT}")
# A run of a mutant may take this many times as long as the solution's own run (and never less than a minute)
# before it counts as hung: slower is allowed, endless is not.
SLOWDOWN, MIN_RUN_TIMEOUT = 10, 60


@dataclass
class ExerciseResult:
    exercise: Exercise
    path: Path
    """The solution file."""
    original: str
    killed: list[Mutant] = field(default_factory=list)
    equivalent: list[Mutant] = field(default_factory=list)
    survived: list[Mutant] = field(default_factory=list)
    stale: list[tuple[str, str]] = field(default_factory=list)
    """(key, why) for each listed equivalent that names no mutant ('missing') or that a test kills ('killed')."""
    reference_fails: bool = False

    @property
    def tried(self) -> int:
        return len(self.killed) + len(self.equivalent) + len(self.survived)

    @property
    def rate(self) -> float:
        judged = len(self.killed) + len(self.survived)
        return len(self.killed) / judged if judged else 1.0

    @property
    def ok(self) -> bool:
        return not self.reference_fails and not self.stale and self.rate >= TARGET


def sample(found: list[Mutant], limit: int | None) -> list[Mutant]:
    """At most `limit` mutants spread evenly over the file (the first `limit` would all sit in one function)."""
    if limit is None or len(found) <= limit:
        return list(found)
    return [found[i * len(found) // limit] for i in range(limit)]


class Judge:
    """Runs one exercise's tests against a tree, `jobs` runs at a time, each in a fork of a warm process."""

    def __init__(self, root: Path, jobs: int = 1):
        self.root, self.jobs = root, jobs
        self.scratch = Path(tempfile.mkdtemp(prefix="nnlings-mutate-"))
        self.idle: queue.SimpleQueue = queue.SimpleQueue()  # warm processes not running anything now
        self.started: list[Zygote] = []

    def passes(self, ex: Exercise, source: str, timeout: float) -> bool:
        """Whether every test of `ex` passes with its solution file replaced by `source`."""
        with tempfile.TemporaryDirectory(dir=self.scratch) as tmp:
            tree = Path(tmp) / "solutions"
            shutil.copytree(self.root / "solutions", tree, ignore=shutil.ignore_patterns("__pycache__"))
            exercise_file(tree, ex.id).write_text(source, encoding="utf-8")
            try:
                result = self._run(ex, tree, timeout)
            except RunBroke:
                return False
        return bool(result.cases) and not result.collect_errors and all(c["status"] == "passed" for c in result.cases)

    def _run(self, ex: Exercise, tree: Path, timeout: float):
        zygote = self._take()
        try:
            return run_tests(self.root, [ex.id], str(tree), extra=PYTEST_ARGS, timeout=timeout, zygote=zygote)
        except ZygoteGone:  # that warm process is lost: this run goes cold, a later one starts a new process
            self.started.remove(zygote)
            zygote.close()
            zygote = None
            return run_tests(self.root, [ex.id], str(tree), extra=PYTEST_ARGS, timeout=timeout)
        finally:
            if zygote is not None:
                self.idle.put(zygote)

    def _take(self) -> Zygote | None:
        try:
            return self.idle.get_nowait()
        except queue.Empty:
            pass
        if not Zygote.available():
            return None
        try:
            zygote = Zygote(self.root)
        except (ZygoteGone, TimeoutError, OSError):
            return None
        self.started.append(zygote)
        return zygote

    def close(self) -> None:
        for zygote in self.started:
            zygote.close()
        shutil.rmtree(self.scratch, ignore_errors=True)


def mutate_exercise(judge: Judge, ex: Exercise, limit: int | None = None, progress=None,
                    only: frozenset[str] = frozenset()) -> ExerciseResult:
    """Judge (a spread sample of `limit` of, or the ones keyed in `only` among) the mutants of `ex`'s solution;
    `progress(id, done, total)` after each."""
    path = exercise_file(judge.root / "solutions", ex.id)
    original = path.read_text(encoding="utf-8")
    result = ExerciseResult(ex, path, original)
    started = time.monotonic()
    if not judge.passes(ex, original, MIN_RUN_TIMEOUT * 5):
        result.reference_fails = True  # every mutant would count as killed: nothing to learn
        return result
    timeout = max(MIN_RUN_TIMEOUT, SLOWDOWN * (time.monotonic() - started))
    found = mutants(original, str(path))
    chosen = [m for m in found if m.key in only] if only else sample(found, limit)
    with ThreadPoolExecutor(max_workers=judge.jobs) as pool:
        runs = [pool.submit(judge.passes, ex, m.source, timeout) for m in chosen]
        for done, (mutant, run) in enumerate(zip(chosen, runs), start=1):
            survived = run.result()
            listed = mutant.key in ex.equivalent_mutants
            bucket = result.killed if not survived else result.equivalent if listed else result.survived
            bucket.append(mutant)
            if listed and not survived:
                result.stale.append((mutant.key, "killed"))
            if progress:
                progress(ex.id, done, len(chosen))
    keys = {m.key for m in found}
    result.stale += [(key, "missing") for key in ex.equivalent_mutants if key not in keys]
    return result
