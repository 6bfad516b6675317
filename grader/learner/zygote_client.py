"""The grader's end of a zygote (grader/learner/zygote.py): start it once, ask it for test runs, stop it."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

START_TIMEOUT = 120


class ZygoteGone(Exception):
    """The zygote died or stopped answering; the caller falls back to a cold pytest run."""


class Zygote:
    def __init__(self, root: Path):
        self.proc = subprocess.Popen([sys.executable, "-m", "grader.learner.zygote"], cwd=root, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=_clean_env(root))
        self.buffer = b""
        self._reply(time.monotonic() + START_TIMEOUT)  # {"ready": true}

    @staticmethod
    def available() -> bool:
        return hasattr(os, "fork")

    def run(self, args: list[str], *, cwd: Path, env: dict, log: Path, timeout: float) -> int | None:
        """The exit code of `pytest ARGS` run in a child of the zygote; None when it ran out of time."""
        request = {"args": args, "cwd": str(cwd), "env": env, "log": str(log)}
        try:
            self.proc.stdin.write((json.dumps(request) + "\n").encode())
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            raise ZygoteGone from None
        deadline = time.monotonic() + timeout
        pid = self._reply(deadline)["pid"]
        try:
            return self._reply(deadline)["exit"]
        except TimeoutError:
            try:
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                pass
            self._reply(time.monotonic() + 30)  # the zygote reaps it and reports
            return None

    def _reply(self, deadline: float) -> dict:
        fd = self.proc.stdout.fileno()
        while b"\n" not in self.buffer:
            if not select.select([fd], [], [], max(deadline - time.monotonic(), 0))[0]:
                if self.proc.poll() is not None:
                    raise ZygoteGone
                raise TimeoutError
            chunk = os.read(fd, 65536)
            if not chunk:
                raise ZygoteGone
            self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\n")
        return json.loads(line)

    def close(self) -> None:
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _clean_env(root: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NNLINGS_")}
    env["NNLINGS_ROOT"] = str(root)
    return env
