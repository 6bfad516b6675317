"""A warm judge for grading many submissions: torch, pytest and the plugin imported once, a fork per run.

A cold `python -m pytest` pays about 3.5 s before its first test (the interpreter, torch, and the modules
torch.optim pulls in on first use). A batch starts one zygote per worker; each submission's test run is
a child forked from it, so it starts with all of that done. The protocol is JSON lines on stdin/stdout:

    request  {"args": [...pytest args], "cwd": "...", "env": {...}, "log": "file for the run's output"}
    replies  {"pid": N}, then {"exit": code}   (the run's process group is N; killing it ends the run)

Only imports happen here before forking: a torch operation would start thread pools that a forked child
cannot use. Where fork is missing, grading falls back to a fresh pytest process per run.
"""

from __future__ import annotations

import json
import os
import sys

from grader.learner.warm import preload


def warm() -> None:
    # torch._dynamo is what the first torch.optim.Adam(...) would import: 1.2 s of it.
    preload("torch._dynamo", "grader.runner.pool")


def serve() -> None:
    replies = os.fdopen(os.dup(1), "w", buffering=1)
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 1)  # nothing printed by an import can garble the replies
    warm()
    replies.write(json.dumps({"ready": True}) + "\n")
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            run_child(request)
        replies.write(json.dumps({"pid": pid}) + "\n")
        _, status = os.waitpid(pid, 0)
        replies.write(json.dumps({"exit": os.waitstatus_to_exitcode(status)}) + "\n")


def run_child(request: dict) -> None:
    code = 3
    try:
        os.setpgid(0, 0)
        log = os.open(request["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.dup2(log, 1)
        os.dup2(log, 2)
        sys.stdin = open(os.devnull)
        sys.stdout = sys.stderr = os.fdopen(1, "w", buffering=1)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        import pytest
        import torch

        torch.set_num_threads(1)  # the checks are tiny; one thread is also the fork-safe choice
        code = int(pytest.main(request["args"]))
    finally:
        sys.stdout.flush()
        os._exit(code)


if __name__ == "__main__":
    serve()
