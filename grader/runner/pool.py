"""One runner per exercise for a grading session: started on first use, restarted after a crash (a few
times), and killed at the end. The time budget of an exercise carries over restarts.
"""

from __future__ import annotations

from pathlib import Path

from grader.core.loader import LoadError, checked_source
from grader.core.paths import exercise_file
from grader.runner.errors import CrashedBefore, RemoteError
from grader.runner.limits import Limits
from grader.runner.process import RunnerProcess
from grader.runner.proxy import RemoteModule, Session

MAX_CRASHES = 3


class ExerciseRunner:
    def __init__(self, tree: Path, exercise_id: str, forbid: tuple[str, ...], limits: Limits):
        self.path = exercise_file(tree, exercise_id)
        self.exercise_id, self.forbid, self.limits = exercise_id, forbid, limits
        self.process: RunnerProcess | None = None
        self.crashes, self.spent = 0, 0.0
        self.refusal: Exception | None = None  # a load that failed fails the same way for every test

    def module(self) -> tuple[RemoteModule, Session]:
        """The learner's module, as seen through a fresh session of a live runner."""
        if self.refusal is not None:
            raise self.refusal.with_traceback(None)  # else every raise would lengthen the same traceback
        if self.crashes >= MAX_CRASHES:
            raise CrashedBefore(self.crashes)
        if self.process is not None and self.process.proc.poll() is not None:
            self.crashes += 1  # it died during the last test (a timeout ends the exercise before this)
            self._stop()
            if self.crashes >= MAX_CRASHES:
                raise CrashedBefore(self.crashes)
        if self.process is None:
            self._start()
        session = Session(self.process, str(self.process.file), str(self.path))
        return RemoteModule(session, 0, "module"), session

    def _start(self) -> None:
        self._stop()
        try:
            text = checked_source(self.path, self.forbid)  # missing, unreadable, syntax, a forbidden name: said first
        except Exception as err:
            self.refusal = err
            raise
        self.process = RunnerProcess(self.path, text, f"nnlings_impl_{self.exercise_id.replace('.', '_')}",
                                     self.forbid, self.limits)
        self.process.spent = self.spent
        session = Session(self.process, str(self.process.file), str(self.path))
        try:
            self.process.wait_until_up()
            session.answer(*self.process.exchange(None))  # the greeting: the import of the exercise file
        except RemoteError as err:
            line = err.frames[-1][1] if err.frames else None
            self.refusal = LoadError("broken", self.path, f"{err.remote_name}: {err}", line)
            self._stop()
            raise self.refusal from None

    def _stop(self) -> None:
        if self.process is not None:
            self.spent = self.process.spent
            self.process.close()
            self.process = None

    def close(self) -> None:
        self._stop()


class Pool:
    """The runners of one pytest session, by exercise id."""

    def __init__(self, tree: Path, limits: Limits | None = None):
        self.tree, self.limits = tree, limits or Limits.from_env()
        self.runners: dict[str, ExerciseRunner] = {}

    def runner(self, exercise_id: str, forbid: tuple[str, ...]) -> ExerciseRunner:
        if exercise_id not in self.runners:
            for other in self.runners.values():
                other.close()  # tests run file by file: one live runner at a time is enough
            self.runners[exercise_id] = ExerciseRunner(self.tree, exercise_id, forbid, self.limits)
        return self.runners[exercise_id]

    def close(self) -> None:
        for runner in self.runners.values():
            runner.close()
