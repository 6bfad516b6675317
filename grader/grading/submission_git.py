"""A submission written `PATH@REF`: the tree of a local git repository at one commit, branch or tag.

The repository is first cloned (`--mirror --no-local`) into the scratch folder, and the tree is exported from
that clone with `git archive`. Working from a clone means that nothing in the submitted repository's own
configuration (filters, hooks, fsmonitor) runs on the grading machine, and its working tree is never touched.
"""

from __future__ import annotations

import os
import subprocess
import threading
from pathlib import Path

from grader.core.i18n import t
from grader.grading.submission_archive import ArchiveRefused, extract_tar_stream

GIT_TIMEOUT = 120
"""Seconds a clone may take before the submission counts as broken."""


class GitRefused(ValueError):
    """The repository or the ref cannot be read; the message is a sentence for the teacher."""


def split_spec(given: str) -> tuple[Path, str] | None:
    """(repository, ref) when `given` is `PATH@REF` with PATH a local folder; None for anything else.

    An existing path wins (a folder may have `@` in its name), and the first `@` after a folder splits
    (so `repo@HEAD@{1}` is repo at `HEAD@{1}`).
    """
    if Path(given).expanduser().exists():
        return None
    start = 0
    while (at := given.find("@", start)) > 0:
        path, ref = Path(given[:at]).expanduser(), given[at + 1:]
        if ref and path.is_dir():
            return path.resolve(), ref
        start = at + 1
    return None


def _env() -> dict[str, str]:
    """The environment without GIT_* variables (a hook's GIT_DIR would point git elsewhere), never prompting."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env["GIT_TERMINAL_PROMPT"] = "0"
    return env


def _git(*args: str, lang: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", *args], cwd=cwd, env=_env(), stdin=subprocess.DEVNULL, capture_output=True,
                              text=True, timeout=GIT_TIMEOUT)
    except FileNotFoundError:
        raise GitRefused(t("batch.git_missing", lang)) from None
    except subprocess.TimeoutExpired:
        raise GitRefused(t("batch.git_timeout", lang, seconds=GIT_TIMEOUT)) from None


def _last_line(proc: subprocess.CompletedProcess) -> str:
    lines = (proc.stderr or proc.stdout).strip().splitlines()
    return lines[-1] if lines else f"exit status {proc.returncode}"


def export_ref(repo: Path, ref: str, dest: Path, *, lang: str = "en") -> Path:
    """Write the Python files of `repo` at `ref` into `dest/tree`; returns that folder."""
    if ref.startswith("-"):
        raise GitRefused(t("batch.git_bad_ref", lang, ref=ref, repo=repo))
    mirror = dest / "repo.git"
    cloned = _git("clone", "--quiet", "--mirror", "--no-local", "--", str(repo), str(mirror), lang=lang)
    if cloned.returncode != 0:
        raise GitRefused(t("batch.git_not_a_repo", lang, repo=repo, detail=_last_line(cloned)))
    found = _git("rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{tree}}", lang=lang, cwd=mirror)
    if found.returncode != 0:
        raise GitRefused(t("batch.git_bad_ref", lang, ref=ref, repo=repo))
    tree = dest / "tree"
    tree.mkdir()
    with subprocess.Popen(["git", "archive", "--format=tar", found.stdout.strip()], cwd=mirror, env=_env(),
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL) as proc:
        timer = threading.Timer(GIT_TIMEOUT, proc.kill)
        timer.start()
        try:
            extract_tar_stream(proc.stdout, tree, lang=lang, on_refused=proc.kill)
            proc.stdout.read()  # the end-of-archive padding: git must not die of a closed pipe
        except ArchiveRefused as err:
            raise GitRefused(str(err)) from None
        finally:
            timer.cancel()
    if proc.returncode != 0:
        raise GitRefused(t("batch.git_not_a_repo", lang, repo=repo, detail=f"git archive exited with {proc.returncode}"))
    return tree
