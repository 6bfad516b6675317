"""Start one runner for one exercise file, talk to it under a deadline, and kill it with all it started.

The runner sees a scratch folder with three parts: rt/ (its own code), lib/ (numpy and nothing else) and
sub/ (a copy of the one exercise file). It runs `python -I -S`, so no site-packages, user site, .pth file,
PYTHONPATH or current folder reaches it; stdin is closed; its output is read as it comes and cut.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy

from grader.runner import wire
from grader.runner.cgroup import PidsGroup
from grader.runner.errors import RunnerCrashed, RunnerTimeout
from grader.runner.limits import Limits, confine
from grader.runner import mounts
from grader.runner.user import runner_uid

HERE = Path(__file__).resolve().parent
RUNNER_FILES = ("child.py", "wire.py", "guard.py", "lines.py")
START_SECONDS = 60.0
"""Time for Python and NumPy to start in a runner: the machine's time, not the learner's, so no budget pays it."""
CHANNEL_BROKEN = (EOFError, BrokenPipeError, wire.WireError, ValueError)
"""What reading or writing the runner's pipes raises when the runner died or garbled its side."""
DUMP_GRACE = 1.0
"""How long a call out of time may take to print where it was, once asked (a busy machine is slow to answer)."""


class RunnerProcess:
    def __init__(self, limits: Limits):
        """A runner with Python and NumPy starting up, for an exercise named later (`load`): it can be started
        ahead, while the judge is still busy with the exercise before."""
        self.limits = limits
        self.source: Path | None = None
        self.file: Path | None = None
        self.scratch = Path(tempfile.mkdtemp(prefix="nnlings-runner-"))
        self._lay_out()
        self.token = secrets.token_hex(8)
        self.new_root: Path | None = None
        self.spent = 0.0
        self._call = (0.0, 0.0)  # the deadline and budget of the call in progress
        self.forget_first = False  # the last test ended: the next request first drops what that test left
        self.functions: set[str] = set()  # names of the module's that were callable (proxy.Session.methods)
        self.group = PidsGroup.create(limits.processes) if os.geteuid() == 0 else None
        config = {"lib": str(self.scratch / "lib")}
        request_r, self.request_w = os.pipe()
        self.reply_r, reply_w = os.pipe()
        env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": str(self.scratch), "NNLINGS_RUNNER": self.token,
               "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
        command = [sys.executable, "-I", "-S", str(self.scratch / "rt" / "child.py"), str(request_r), str(reply_w),
                   json.dumps(config)]
        self.uid = runner_uid()
        try:
            self.proc = self._popen(command, env, (request_r, reply_w))
        except subprocess.SubprocessError:  # no mount namespace here: run as the grader's user after all
            self.uid = None
            self.proc = self._popen(command, env, (request_r, reply_w))
        os.close(request_r)
        os.close(reply_w)
        self.output = Output(self.proc.stdout, limits.output_bytes)

    def _popen(self, command, env, fds) -> subprocess.Popen:
        steps = None
        if self.uid is not None:
            self.new_root = Path(tempfile.mkdtemp(prefix="nnlings-root-"))
            steps = mounts.plan(self._needed(), self.new_root)
            command = [str(Path(sys.executable).resolve()), *command[1:]]  # the venv's link is not in the new root
        preexec = confine(self.limits, cgroup_procs=self.group.procs_file if self.group else None, uid=self.uid,
                          mount_steps=steps, workdir=str(self.scratch / "sub"))
        return subprocess.Popen(command, pass_fds=fds, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, cwd=self.scratch / "sub", env=env, preexec_fn=preexec)

    def _needed(self) -> list[Path]:
        """What the runner must see: the interpreter's installation, NumPy, its own three folders."""
        own = [self.scratch / name for name in ("rt", "lib", "sub")]
        return [Path(sys.base_prefix).resolve(), *numpy_folders(), *own]

    def _lay_out(self) -> None:
        for name in ("rt", "lib", "sub"):
            (self.scratch / name).mkdir()
        for name in RUNNER_FILES:
            shutil.copy(HERE / name, self.scratch / "rt" / name)
        for folder in numpy_folders():
            (self.scratch / "lib" / folder.name).symlink_to(folder)
        _readable(self.scratch, *self.scratch.rglob("*"))

    def load(self, source: Path, text: str, module_name: str, forbid: tuple[str, ...]) -> tuple[dict, list[bytes]]:
        """Give the runner its exercise file and import it, as the first call; the reply to that import.

        `text` is the source as it was checked: the runner gets exactly that, whatever the file holds now. The
        file lands in sub/, which the runner's file system binds from the scratch folder, so it sees it there."""
        target = self.scratch / "sub" / source.parent.name / source.name
        target.parent.mkdir()
        target.write_text(text, encoding="utf-8")
        _readable(target.parent, target)
        self.source, self.file = source, target
        return self.exchange({"op": "load", "file": str(target), "name": module_name, "forbid": list(forbid)})

    # ------------------------------------------------------------ talking

    def wait_until_up(self) -> None:
        """Wait for the runner's first word: sent once Python and NumPy are up, before the learner's file is read."""
        deadline = time.monotonic() + START_SECONDS
        try:
            header, _ = wire.receive(lambda n: self._read(n, deadline))
        except TimeoutError:
            raise self._crashed(f"it did not start within {START_SECONDS:g} s") from None
        except CHANNEL_BROKEN as err:
            raise self._crashed(self._ended(err)) from None
        if header.get("up") is not True:
            raise self._crashed("it broke the runner's protocol (no greeting)")

    def exchange(self, header: dict, buffers: list[bytes] = (), resume: bool = False) -> tuple[dict, list[bytes]]:
        """Send a request; return the reply, in the time left.

        `resume`: the answer to a callback within a call, which goes on under that call's deadline."""
        started = time.monotonic()
        if not resume:
            budget = min(self.limits.call_seconds, self.limits.exercise_seconds - self.spent)
            self._call = (started + max(budget, 0.0), budget)
        deadline, budget = self._call
        try:
            if self.forget_first and not resume:
                header, self.forget_first = {**header, "forget": True}, False
            self._send(header, buffers, deadline)
            return wire.receive(lambda n: self._read(n, deadline))
        except TimeoutError:
            self._await_dump()
            self.kill()
            whole = budget < self.limits.call_seconds
            seconds = self.limits.exercise_seconds if whole else self.limits.call_seconds
            self.output.join()
            printed, where = split_dump(self.output.text(), str(self.file))
            err = RunnerTimeout("exercise" if whole else "call", seconds, printed)
            err.frames = [(str(self.source), line, function, "") for line, function in where]
            raise err from None
        except CHANNEL_BROKEN as err:
            raise self._crashed(self._ended(err)) from None
        except BaseException:
            self.kill()  # interrupted halfway (Ctrl-C, the test's own time limit): the channel is out of step
            raise
        finally:
            self.spent += time.monotonic() - started

    def _crashed(self, detail: str) -> RunnerCrashed:
        """Kill the runner and describe its end, with what it printed."""
        self.kill()
        return RunnerCrashed(detail, self.output.text())

    def _await_dump(self) -> None:
        """Ask the runner where it is (SIGALRM makes faulthandler print its stack) and give the answer a moment.

        The dump names the learner's line that ran too long. Asked from here, at the judge's own deadline, it
        comes however late the runner was to start the call.
        """
        try:
            os.kill(self.proc.pid, signal.SIGALRM)
        except OSError:
            return
        until = time.monotonic() + DUMP_GRACE
        while not DUMP_START.search(self.output.text()) and time.monotonic() < until and self.proc.poll() is None:
            time.sleep(0.02)

    def _send(self, header: dict, buffers, deadline: float) -> None:
        data = memoryview(wire.frame(header, buffers))
        while data:
            if not select.select([], [self.request_w], [], max(deadline - time.monotonic(), 0))[1]:
                raise TimeoutError
            data = data[os.write(self.request_w, data[:65536]):]

    def _read(self, n: int, deadline: float) -> bytes:
        chunks, left = [], n
        while left:
            if not select.select([self.reply_r], [], [], max(deadline - time.monotonic(), 0))[0]:
                raise TimeoutError
            chunk = os.read(self.reply_r, min(left, 1 << 20))
            if not chunk:
                raise EOFError
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    def _ended(self, err: BaseException) -> str:
        if not isinstance(err, (EOFError, BrokenPipeError)):
            return f"it broke the runner's protocol ({err})"
        code = self.proc.returncode
        if code is None:
            return "it closed the runner's channel"
        if code < 0:
            return f"it was ended by signal {signal.Signals(-code).name}"
        return f"it exited with status {code}"

    # ------------------------------------------------------------ ending

    def kill_now(self) -> None:
        """Send the runner's process group SIGKILL, without waiting for it to go (kill() makes sure it went)."""
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except OSError:
                pass
        if self.group:
            self.group.kill_once()

    def kill(self) -> None:
        """Kill the runner and everything it started: its process group, its cgroup, anything with its token."""
        self.kill_now()
        if self.group:
            self.group.kill_all()
        kill_marked(self.token)
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass

    def close(self) -> None:
        self.kill()
        for fd in (self.request_w, self.reply_r):
            try:
                os.close(fd)
            except OSError:
                pass
        self.output.join()
        shutil.rmtree(self.scratch, ignore_errors=True)
        if self.new_root is not None:
            shutil.rmtree(self.new_root, ignore_errors=True)  # only the mount point: the tmpfs was the runner's


def _readable(*paths: Path) -> None:
    """Readable by the runner's user, writable by none."""
    for path in paths:
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() else 0o644)


def numpy_folders() -> list[Path]:
    """NumPy's package folder, and the folder of shared libraries its wheel ships beside it where there is one."""
    package = Path(numpy.__file__).resolve().parent
    return [f for f in (package, package.parent / "numpy.libs") if f.exists()]


class Output:
    """Reads the runner's stdout and stderr in a thread, keeping the first `limit` bytes."""

    def __init__(self, stream, limit: int):
        self.kept, self.dropped, self.limit = bytearray(), 0, limit
        self.thread = threading.Thread(target=self._drain, args=(stream,), daemon=True)
        self.thread.start()

    def _drain(self, stream) -> None:
        for chunk in iter(lambda: stream.read1(65536), b""):
            room = self.limit - len(self.kept)
            self.kept += chunk[:max(room, 0)]
            self.dropped += max(len(chunk) - max(room, 0), 0)
        stream.close()

    def text(self) -> str:
        body = self.kept.decode("utf-8", "replace")
        return body + (f"\n... ({self.dropped} more bytes of output cut)" if self.dropped else "")

    def join(self) -> None:
        self.thread.join(timeout=2)


DUMP_START = re.compile(r"^(Current thread|Thread) 0x[0-9a-f]+ \(most recent call first\):$", re.M)
DUMP_FRAME = re.compile(r'^\s+File "(?P<file>.+)", line (?P<line>\d+) in (?P<function>\S+)$', re.M)


def split_dump(output: str, learner_file: str) -> tuple[str, list[tuple[int, str]]]:
    """The runner's output without the stack dump it printed when asked, and the learner's frames in it."""
    start = DUMP_START.search(output)
    if not start:
        return output, []
    dump = output[start.start():]
    frames = [(int(m["line"]), m["function"]) for m in DUMP_FRAME.finditer(dump) if m["file"] == learner_file]
    return output[:start.start()], list(reversed(frames[:1]))


def kill_marked(token: str) -> None:
    """Kill processes whose environment carries the runner's token (descendants that left its group)."""
    marker = f"NNLINGS_RUNNER={token}".encode()
    for _ in range(3):
        found = False
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                with open(f"/proc/{entry.name}/environ", "rb") as f:
                    if marker in f.read().split(b"\0"):
                        os.kill(int(entry.name), signal.SIGKILL)
                        found = True
            except OSError:
                continue
        if not found:
            return
        time.sleep(0.01)
