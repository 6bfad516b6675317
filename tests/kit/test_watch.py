"""A scripted learner session in a real terminal (tmux): wrong answer, diagnosis, fix, pass, next exercise."""

import os
import shlex
import shutil
import sys
import time

import pytest

TMUX = shutil.which("tmux")
pytestmark = pytest.mark.skipif(not TMUX and not os.environ.get("CI"), reason="tmux is not installed (CI installs it)")

LEFT_ALIGNED = '''    ndim = max((len(s) for s in shapes), default=0)
    out = []
    for i in range(ndim):
        sizes = {s[i] for s in shapes if i < len(s)} - {1}
        if len(sizes) > 1:
            raise ValueError(f"shapes {shapes} do not broadcast")
        out.append(sizes.pop() if sizes else 1)
    return tuple(out)'''


class Terminal:
    """A tmux session on its own server, driven and read like a learner's terminal."""

    def __init__(self, name: str):
        self.base = [TMUX, "-L", name]

    def start(self, command: str) -> None:
        os.system(shlex.join([*self.base, "new-session", "-d", "-x", "120", "-y", "50", command]))

    def screen(self) -> str:
        return os.popen(shlex.join([*self.base, "capture-pane", "-p", "-J"])).read()

    def keys(self, keys: str) -> None:
        os.system(shlex.join([*self.base, "send-keys", keys]))

    def wait_for(self, *texts: str, timeout: float = 90) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if all(text in screen for text in texts):
                return screen
            time.sleep(0.1)
        pytest.fail(f"the terminal never showed {texts}; it shows:\n{self.screen()}")

    def close(self) -> None:
        os.system(shlex.join([*self.base, "kill-server"]) + " 2>/dev/null")


def test_learner_session_in_tmux(fresh_kit):
    """Does watch mode show the diagnosis for a wrong save, then pass and move on after the fix?"""
    assert TMUX, "tmux is needed for this test"
    terminal = Terminal(f"nnlings-test-{os.getpid()}")
    env = f"NNLINGS_ROOT={shlex.quote(str(fresh_kit))} NNLINGS_LANG=en"
    terminal.start(f"cd {shlex.quote(str(fresh_kit))} && {env} {shlex.quote(sys.executable)} -m grader watch; sleep 600")
    try:
        terminal.wait_for("exercise 1 of", "tensors.broadcasting", "[q] quit")
        target = fresh_kit / "exercises" / "tensors" / "broadcasting.py"
        stub = target.read_text()
        marker = 'raise NotImplementedError("tensors.broadcasting: broadcast_shapes")'
        assert marker in stub
        target.write_text(stub.replace("    " + marker, LEFT_ALIGNED))
        terminal.wait_for("Diagnosis: this is exactly what shapes lined up from the left gives")
        shutil.copy(fresh_kit / "solutions" / "tensors" / "broadcasting.py", target)
        terminal.wait_for("tensors.broadcasting passes every check", "exercise 2 of", "tensors.reshape_view")
        terminal.keys("h")
        terminal.wait_for("Hint 1 of")
        terminal.keys("q")
        terminal.wait_for("Watch mode stopped")
    finally:
        terminal.close()
