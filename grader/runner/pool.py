"""One runner per exercise for a grading session: started on first use, restarted after a crash (a few
times), and killed at the end. The time budget of an exercise carries over restarts.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Callable

from grader.core.loader import LoadError, checked_source
from grader.core.paths import exercise_file
from grader.runner.errors import CrashedBefore, RemoteError
from grader.runner.limits import Limits
from grader.runner.process import START_SECONDS, RunnerProcess
from grader.runner.proxy import RemoteModule, Session

MAX_CRASHES = 3


class ExerciseRunner:
    def __init__(self, tree: Path, exercise_id: str, forbid: tuple[str, ...], limits: Limits,
                 spawn: Callable[[], RunnerProcess] | None = None):
        """`spawn`: where a runner process comes from (a pool's, started ahead); a new one by default."""
        self.path = exercise_file(tree, exercise_id)
        self.exercise_id, self.forbid, self.limits = exercise_id, forbid, limits
        self.spawn = spawn or (lambda: RunnerProcess(limits))
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
        self.process = self.spawn()
        self.process.spent = self.spent
        try:
            self.process.wait_until_up()
            reply = self.process.load(self.path, text, f"nnlings_impl_{self.exercise_id.replace('.', '_')}",
                                      self.forbid)
            Session(self.process, str(self.process.file), str(self.path)).answer(*reply)
        except RemoteError as err:
            line = err.frames[-1][1] if err.frames else None
            self.refusal = LoadError("broken", self.path, f"{err.remote_name}: {err}", line)
            self._stop()
            raise self.refusal from None

    def _stop(self) -> None:
        process = self.release()
        if process is not None:
            process.close()

    def close(self) -> None:
        self._stop()

    def release(self) -> RunnerProcess | None:
        """The live process, for the caller to end: this runner is done with it."""
        process, self.process = self.process, None
        if process is not None:
            self.spent = process.spent
        return process


class Pool:
    """The runners of one pytest session, by exercise id.

    Starting a runner (Python, NumPy, its own file system) takes about a tenth of a second, most of it in the
    runner. Told the order of the session's exercises (`expect`), the pool keeps the runners of the next AHEAD
    exercises starting in the background, so that where a core is free an exercise does not wait for its own
    (one ahead is not enough: many exercises are checked in less time than a runner takes to start).
    """

    AHEAD = 2

    def __init__(self, tree: Path, limits: Limits | None = None):
        self.tree, self.limits = tree, limits or Limits.from_env()
        self.runners: dict[str, ExerciseRunner] = {}
        self.order: list[str] = []
        self.ahead: list[Ahead] = []  # oldest first
        self.ending: list[threading.Thread] = []

    def expect(self, exercise_ids: list[str]) -> None:
        """The exercises this session runs, in order: each start begins the next one's runner ahead."""
        self.order = list(dict.fromkeys(exercise_ids))

    def runner(self, exercise_id: str, forbid: tuple[str, ...]) -> ExerciseRunner:
        if exercise_id not in self.runners:
            for other in self.runners.values():
                self._end(other)  # tests run file by file: one live runner at a time is enough
            self.runners[exercise_id] = ExerciseRunner(self.tree, exercise_id, forbid, self.limits,
                                                       spawn=lambda: self._spawn(exercise_id))
        return self.runners[exercise_id]

    def _spawn(self, exercise_id: str) -> RunnerProcess:
        """A runner process for `exercise_id`: the oldest one started ahead if there is one, else a new one."""
        process = self.ahead.pop(0).take() if self.ahead else None
        while len(self.ahead) < min(self.AHEAD, self._still_to_come(exercise_id)):
            self.ahead.append(Ahead(self.limits))
        return process or RunnerProcess(self.limits)  # one that could not start ahead says why when started here

    def _still_to_come(self, exercise_id: str) -> int:
        """How many exercises of the session after `exercise_id` have no runner yet."""
        if exercise_id not in self.order:
            return 0
        return sum(e not in self.runners for e in self.order[self.order.index(exercise_id) + 1:])

    def _end(self, runner: ExerciseRunner) -> None:
        """Stop `runner` now; the waiting for its processes to go and the removal of its folders go on aside."""
        process = runner.release()
        if process is not None:
            process.kill_now()
            ending = threading.Thread(target=process.close, daemon=True)
            ending.start()
            self.ending.append(ending)

    def close(self) -> None:
        for runner in self.runners.values():
            runner.close()
        for ahead in self.ahead:
            ahead.close()
        self.ahead = []
        for ending in self.ending:
            ending.join()


class Ahead:
    """A runner process being started in a thread of its own."""

    def __init__(self, limits: Limits):
        self.process: RunnerProcess | None = None
        self.taken = False
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._start, args=(limits,), daemon=True)
        self.thread.start()

    def _start(self, limits: Limits) -> None:
        try:
            process = RunnerProcess(limits)
        except Exception:  # noqa: BLE001 - started again where it is needed, which then tells what went wrong
            return
        with self.lock:
            if not self.taken:
                self.process = process
                return
        process.close()  # too late: the judge gave up waiting and started one itself

    def take(self) -> RunnerProcess | None:
        """The process once started; None where it could not start (or not in the time a start may take)."""
        self.thread.join(START_SECONDS)
        with self.lock:
            self.taken = True
            return self.process

    def close(self) -> None:
        process = self.take()
        if process is not None:
            process.close()
