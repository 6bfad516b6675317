"""Run the kit's tests for some exercises against one tree, in a fresh pytest process, and read the records."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from grader.core.paths import test_file

# pytest-timeout stops any one test; this only stops a run that hangs outside every test. A run's honest
# length grows with the exercises in it (the self-check's mistakes run over the whole curriculum takes
# about 10 s per exercise here and more than twice that on a slower machine), so the limit does too.
RUN_TIMEOUT = 900
RUN_TIMEOUT_PER_EXERCISE = 60


def run_timeout(exercise_count: int) -> float:
    """The most a run of `exercise_count` exercises' tests may take before it counts as hung."""
    return RUN_TIMEOUT + RUN_TIMEOUT_PER_EXERCISE * exercise_count


class RunBroke(Exception):
    """The test run itself failed (not a learner's wrong answer): usage error, crash, or no records."""


@dataclass
class RunResult:
    cases: list[dict]
    """One record per test case: exercise, test, params, status, message, duration."""
    collect_errors: list[dict] = field(default_factory=list)
    """Test files that did not even collect: the kit's fault, never the learner's."""
    exitstatus: int = 0


def pytest_command(root: Path, exercise_ids, impl: str, *, seed: int, lang: str, record: Path,
                   extra: tuple[str, ...] = ()) -> list[str]:
    files = [str(test_file(root, e).relative_to(root)) for e in exercise_ids]
    return [sys.executable, "-m", "pytest", *files, f"--impl={impl}", f"--nnlings-seed={seed}", f"--lang={lang}",
            f"--nnlings-record={record}", "-q", "-p", "no:cacheprovider", "--no-header", "-o", "console_output_style=classic",
            "--tb=native",  # the plugin writes the message; pytest's own long form would only cost time
            "-p", "no:logging",  # no message shows log records; catching them cost about 1 ms a test
            *extra]


def run_tests(root: Path, exercise_ids, impl: str, *, seed: int = 0, lang: str = "en",
              extra: tuple[str, ...] = (), timeout: float | None = None, zygote=None) -> RunResult:
    """Run the tests of `exercise_ids` with --impl `impl` and return what was recorded.

    With a `zygote` (grader.learner.zygote_client.Zygote), the run is a fork of that warm process instead of a
    cold `python -m pytest`. Without a `timeout`, the run may take `run_timeout(len(exercise_ids))` seconds.
    """
    exercise_ids = list(exercise_ids)
    timeout = run_timeout(len(exercise_ids)) if timeout is None else timeout
    with tempfile.TemporaryDirectory(prefix="nnlings-run-") as tmp:
        record = Path(tmp) / "record.json"
        cmd = pytest_command(root, exercise_ids, impl, seed=seed, lang=lang, record=record, extra=extra)
        env = {**os.environ, "NNLINGS_ROOT": str(root)}
        env.pop("NNLINGS_IMPL", None)
        if zygote is not None:
            log = Path(tmp) / "output.log"
            code = zygote.run(cmd[3:], cwd=root, env=env, log=log, timeout=timeout)  # cmd[3:]: after "python -m pytest"
            output = log.read_text(encoding="utf-8", errors="replace") if log.is_file() else ""
        else:
            try:
                proc = subprocess.run(cmd, cwd=root, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                                      text=True, timeout=timeout)
                code, output = proc.returncode, proc.stdout + proc.stderr
            except subprocess.TimeoutExpired:
                code, output = None, ""
        if code is None:
            raise RunBroke(f"the test run took longer than {timeout:.0f} s")
        if not record.is_file():
            tail = "\n".join(output.strip().splitlines()[-15:])
            raise RunBroke(f"pytest exited with {code} before recording any result:\n{tail}")
        data = json.loads(record.read_text(encoding="utf-8"))
    if data["exitstatus"] in (2, 3, 4):  # interrupted, internal error, usage error
        raise RunBroke(f"pytest stopped with exit status {data['exitstatus']}")
    return RunResult(data["cases"], data["collect_errors"], data["exitstatus"])
