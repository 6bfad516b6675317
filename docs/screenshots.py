"""Take the README's screenshots from real terminal sessions: tmux runs the command, rich draws the SVG.

Usage: .venv/bin/python docs/screenshots.py   (needs tmux; writes docs/screenshots/*.svg)
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.text import Text

from grader.core import manifest

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
SOCKET = f"nnlings-shots-{os.getpid()}"
WIDTH, HEIGHT = 104, 46
PROGRESS_HEIGHT = 84  # the whole curriculum's table, every module and exercise, on one screen


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", "-L", SOCKET, *args], capture_output=True, text=True, check=False).stdout


def session(kit: Path, command: str, height: int = HEIGHT) -> None:
    tmux("kill-server")
    time.sleep(0.5)  # a new server started while the old one is still shutting down fails to start
    env = f"NNLINGS_ROOT={shlex.quote(str(kit))} NNLINGS_LANG=en TERM=xterm-256color"
    tmux("new-session", "-d", "-x", str(WIDTH), "-y", str(height),
         f"cd {shlex.quote(str(kit))} && {env} {shlex.quote(sys.executable)} -m grader {command}; sleep 600")


def wait_for(text: str, timeout: float = 120) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        screen = tmux("capture-pane", "-p", "-e", "-J")
        if text in screen:
            time.sleep(0.3)
            return tmux("capture-pane", "-p", "-e", "-J")
        time.sleep(0.1)
    raise SystemExit(f"never saw {text!r}:\n{tmux('capture-pane', '-p')}")


def save(screen: str, name: str, title: str) -> None:
    console = Console(record=True, width=WIDTH, force_terminal=True, color_system="truecolor", file=open(os.devnull, "w"))
    console.print(Text.from_ansi(screen.rstrip("\n")))
    console.save_svg(str(OUT / f"{name}.svg"), title=title)
    print(f"wrote docs/screenshots/{name}.svg")


def write_wrong_softmax(kit: Path) -> None:
    stub = kit / "exercises" / "activations" / "softmax.py"
    stub.write_text(stub.read_text().replace(
        '    # TODO: subtract the max along `axis`, exponentiate, divide by the sum along `axis`\n'
        '    raise NotImplementedError("activations.softmax: softmax")',
        "    e = np.exp(x)\n    return e / e.sum(axis=axis, keepdims=True)", 1))


def solve_up_to(kit: Path, exercise_id: str) -> None:
    """Copy the solution of every exercise before `exercise_id`, so watch opens on that exercise."""
    for ex in manifest.load(kit).exercises:
        if ex.id == exercise_id:
            return
        path = Path(*ex.id.split(".")).with_suffix(".py")
        shutil.copy(kit / "solutions" / path, kit / "exercises" / path)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="nnlings-shots-") as tmp:
        kit = Path(tmp)
        shutil.copy(ROOT / "curriculum.toml", kit)
        for folder in ("exercises", "solutions", "tests"):
            shutil.copytree(ROOT / folder, kit / folder, ignore=shutil.ignore_patterns("__pycache__", "kit"))
        for ex in ("tensors/broadcasting.py", "losses/mse.py"):
            shutil.copy(kit / "solutions" / ex, kit / "exercises" / ex)
        write_wrong_softmax(kit)
        try:
            session(kit, "progress", PROGRESS_HEIGHT)
            save(wait_for("Next:"), "progress", "nnlings progress")
            session(kit, "check activations.softmax")
            save(wait_for("checks pass"), "check", "nnlings check activations.softmax")
            (kit / "exercises" / "activations" / "softmax.py").write_text(
                (ROOT / "exercises" / "activations" / "softmax.py").read_text())
            solve_up_to(kit, "activations.softmax")
            session(kit, "watch")
            wait_for("[q] quit")
            write_wrong_softmax(kit)
            save(wait_for("Diagnosis"), "watch", "nnlings watch")
        finally:
            tmux("kill-server")


if __name__ == "__main__":
    main()
