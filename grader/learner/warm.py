"""A warm checker: torch, pytest and one exercise's tests made ready before the learner saves.

Importing torch costs seconds and a check milliseconds. The parent imports torch and pytest once;
for the current exercise it keeps a forked standby child that has already collected the tests,
warmed torch and frozen the heap for the garbage collector. A save only has to say "go": the
child runs the tests and writes its records. Where fork is missing (Windows), each check falls
back to a fresh pytest process.
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import signal
import tempfile
import time
from pathlib import Path

import pytest

from grader.core.paths import test_file
from grader.core.run import RunBroke, run_tests
from grader.testing.plugin import read_ahead

# A check of one exercise takes well under a second; this only ends one that hangs.
CHECK_TIMEOUT = 120
QUIET = ["-q", "-p", "no:cacheprovider", "-p", "no:logging", "-W", "ignore::pytest.PytestAssertRewriteWarning",
         # Our plugin replaces the failure text anyway; the native form is the cheap one to build.
         "--tb=native"]


WARM_MODULES = ("numpy", "pytest", "torch", "grader.testing.oracle", "grader.testing.plugin", "grader.testing.record")
"""What every check needs before its first test: imported once by a process that then forks per check."""


def preload(*extra: str) -> None:
    """Import WARM_MODULES and `extra`. Imports only: running a torch op here would start its thread pool,
    and a forked child that then uses torch deadlocks on the pool's locks."""
    for name in (*WARM_MODULES, *extra):
        importlib.import_module(name)


class WarmChecker:
    def __init__(self, root: Path, lang: str = "en"):
        self.root, self.lang = root, lang
        self.forking = hasattr(os, "fork")
        self.standby: tuple[str, int, int] | None = None  # (exercise id, pid, write end of its pipe)
        self.tmp = tempfile.TemporaryDirectory(prefix="nnlings-warm-")

    def warm(self) -> None:
        """Pay the imports once, in the parent, so every forked child starts with them done."""
        if self.forking:
            preload()

    def prepare(self, exercise_id: str) -> None:
        """Start a standby child for `exercise_id` (replacing one for another exercise)."""
        if not self.forking or (self.standby and self.standby[0] == exercise_id):
            return
        self.close()
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(write_end)
            self._standby_child(exercise_id, read_end)
        os.close(read_end)
        self.standby = (exercise_id, pid, write_end)

    def check(self, exercise_id: str, hint: int = 1) -> list[dict]:
        """The recorded test cases of one exercise against exercises/. The standby is used up: call `prepare`
        for the next one once the verdict is shown (forking it sooner would only delay the verdict)."""
        if not self.forking:
            return run_tests(self.root, [exercise_id], "exercises", lang=self.lang,
                             extra=(f"--nnlings-hint={hint}",)).cases
        record = self._record()
        record.unlink(missing_ok=True)
        self.prepare(exercise_id)
        _, pid, write_end = self.standby
        self.standby = None
        os.write(write_end, json.dumps({"hint": hint}).encode())
        os.close(write_end)
        self._wait(pid)
        try:
            return json.loads(record.read_text(encoding="utf-8"))["cases"]
        except (OSError, ValueError):
            raise RunBroke("the check ended before recording any result") from None

    def close(self) -> None:
        """Stop the standby child, if any."""
        if self.standby:
            _, pid, write_end = self.standby
            self.standby = None
            os.close(write_end)  # the child reads end-of-file and leaves
            _reap(pid)

    def _record(self) -> Path:
        return Path(self.tmp.name) / "record.json"

    def _args(self, exercise_id: str) -> list[str]:
        return [str(test_file(self.root, exercise_id)), "--impl=exercises", f"--lang={self.lang}",
                f"--nnlings-record={self._record()}", *QUIET]

    def _standby_child(self, exercise_id: str, read_end: int) -> None:
        code = 1
        try:
            os.setpgid(0, 0)
            devnull = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(devnull, fd)
            os.chdir(self.root)
            import torch

            torch.set_num_threads(1)  # the checks are tiny; one thread is also the fork-safe choice
            x = torch.ones(3, 3, dtype=torch.float64, requires_grad=True)
            torch.autograd.grad(torch.softmax(x, -1), [x], torch.ones_like(x))  # first-call set-up
            code = int(pytest.main(self._args(exercise_id), plugins=[Gate(read_end, exercise_id)]))
        finally:
            os._exit(code)

    def _wait(self, pid: int) -> None:
        deadline = time.monotonic() + CHECK_TIMEOUT
        while time.monotonic() < deadline:
            done, _ = os.waitpid(pid, os.WNOHANG)
            if done:
                return
            time.sleep(0.005)
        _reap(pid)
        raise RunBroke(f"the check took longer than {CHECK_TIMEOUT} s and was stopped")


class Gate:
    """Holds a standby's pytest session between collection and the first test, until the save says go.

    Everything before the tests (configuration, plugins, collecting the test file) is done while the
    learner types; the learner's file itself is read by each test, so a save after this still counts."""

    def __init__(self, read_end: int, exercise_id: str):
        self.read_end, self.exercise_id = read_end, exercise_id

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session):
        read_ahead(session.config, self.exercise_id)
        gc.collect()
        gc.freeze()  # the warm heap is never garbage: keep the collector from walking it
        message = _read_all(self.read_end)
        if not message:  # closed without a go: this standby is not needed
            os._exit(0)
        session.config.option.nnlings_hint = json.loads(message)["hint"]
        # None: pytest's own loop runs the tests now

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session, exitstatus):
        """The record is written (the recorder's own hook has run): leave now. What pytest does after it
        (a summary nobody reads, two full garbage collections at unconfigure) would only delay the verdict."""
        os._exit(int(exitstatus))


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
    return b"".join(chunks)


def _reap(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
