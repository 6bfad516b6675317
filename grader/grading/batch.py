"""Grade many submissions at once, in parallel, with one seed; a submission that breaks never stops the others.

Each submission is graded by `grader.grading.pipeline.evaluate`, which runs the tests in a pytest process of its
own, forked from a warm judge (grader/learner/zygote.py) that has torch and pytest imported already; the threads
here only wait on those processes, so a pool with one thread per core keeps every core busy.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from grader import __version__
from grader.core.manifest import Manifest
from grader.core.report import Report
from grader.grading.pipeline import evaluate, versions
from grader.grading.submission import SubmissionError, opened, unique_names
from grader.learner.zygote_client import Zygote, ZygoteGone


@dataclass
class Graded:
    student: str
    """The name the submission is filed under (unique within the batch)."""
    submission: str
    """The submission as given on the command line."""
    report: Report
    """Its report; `report.error` is set when it could not be graded."""


def broken_report(submission: str, seed: int, detail: str) -> Report:
    """A report for a submission that could not be graded at all: an error, and no score."""
    torch_version, numpy_version = versions()
    return Report(__version__, seed, torch_version, numpy_version, submission, error=detail)


def grade_one(root: Path, manifest: Manifest, submission: str, *, seed: int, lang: str, judges=None) -> Report:
    """The report for one submission; whatever goes wrong becomes the report's `error`, never an exception."""
    try:
        with opened(submission, manifest, lang=lang) as tree:
            zygote = judges.get() if judges else None
            try:
                return evaluate(root, manifest, tree.exercise_ids, str(tree.path), seed=seed, lang=lang,
                                submission=submission, isolate=True, zygote=zygote)
            except ZygoteGone:
                judges.drop()  # a warm judge that died is replaced; this submission is graded cold
                return evaluate(root, manifest, tree.exercise_ids, str(tree.path), seed=seed, lang=lang,
                                submission=submission, isolate=True)
    except SubmissionError as err:
        return broken_report(submission, seed, str(err))
    except Exception as err:  # noqa: BLE001 - one submission's trouble must not end the batch
        return broken_report(submission, seed, f"{type(err).__name__}: {err}")


def grade_all(root: Path, manifest: Manifest, submissions: list[str], *, seed: int, lang: str = "en",
              workers: int | None = None, on_done: Callable[[Graded], None] | None = None) -> list[Graded]:
    """Grade every submission, `workers` at a time (default: one per core); returns them in the order given.

    `on_done` is called in the calling thread as each one finishes, in the order they finish.
    """
    names = unique_names(submissions)
    workers = max(1, min(workers or os.cpu_count() or 1, len(submissions)))
    results: dict[int, Graded] = {}
    judges = Judges(root) if len(submissions) > 1 and Zygote.available() else None
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="nnlings-grade")
    try:
        pending: dict[Future, int] = {
            pool.submit(grade_one, root, manifest, given, seed=seed, lang=lang, judges=judges): n
            for n, given in enumerate(submissions)
        }
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                n = pending.pop(future)
                results[n] = Graded(names[n], submissions[n], future.result())
                if on_done:
                    on_done(results[n])
    finally:
        # On Ctrl-C the pytest processes get the signal too; do not start the submissions still queued.
        pool.shutdown(wait=False, cancel_futures=True)
        if judges:
            judges.close()
    return [results[n] for n in range(len(submissions))]


class Judges:
    """One warm judge (a zygote) per worker thread, started on the thread's first submission."""

    def __init__(self, root: Path):
        self.root, self.local, self.all = root, threading.local(), []
        self.lock = threading.Lock()

    def get(self) -> Zygote | None:
        """This thread's warm judge; None (grade cold) when one cannot be started here."""
        if getattr(self.local, "zygote", None) is None:
            try:
                self.local.zygote = Zygote(self.root)
            except (ZygoteGone, TimeoutError, OSError):
                return None
            with self.lock:
                self.all.append(self.local.zygote)
        return self.local.zygote

    def drop(self) -> None:
        zygote, self.local.zygote = getattr(self.local, "zygote", None), None
        if zygote is not None:
            zygote.close()

    def close(self) -> None:
        with self.lock:
            for zygote in self.all:
                zygote.close()
