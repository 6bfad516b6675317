"""The pytest plugin: --impl resolution, the header, and `todo` as an outcome."""

import os
import subprocess
import sys


def pytest_in(root, *args, env=None):
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("NNLINGS_")}
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "pytest", "tests/activations/test_softmax.py", *args],
                          cwd=root, env=full_env, capture_output=True, text=True, timeout=600)


def test_stubs_are_todo_not_red(kit):
    """Are untouched stubs reported as todo (no traceback) and is the run still not a pass?"""
    done = pytest_in(kit, "-q")
    assert done.returncode == 1
    assert "todo" in done.stdout and "Traceback" not in done.stdout and "failed" not in done.stdout


def test_header_names_the_choice(kit):
    """Does the header say which tree is tested and where that choice came from?"""
    done = pytest_in(kit, "--collect-only", env={"NNLINGS_IMPL": "solutions"})
    assert "impl=solutions (NNLINGS_IMPL)" in done.stdout


def test_option_beats_environment(kit):
    """Does --impl win over NNLINGS_IMPL?"""
    done = pytest_in(kit, "-q", "--impl", "solutions", env={"NNLINGS_IMPL": "exercises"})
    assert done.returncode == 0, done.stdout[-2000:]


def test_bad_impl_names_its_source(kit):
    """Is a bad NNLINGS_IMPL a usage error that names the variable?"""
    done = pytest_in(kit, "-q", env={"NNLINGS_IMPL": "/no/such/dir"})
    assert done.returncode == 4 and "NNLINGS_IMPL" in done.stderr


def test_rerun_line_keeps_the_seed(kit, tmp_path):
    """Does a failing check run with a seed say how to rerun it with that seed, and so with the same shapes?"""
    broken = tmp_path / "activations"
    broken.mkdir()
    (broken / "softmax.py").write_text("import numpy as np\n\ndef softmax(x, axis=-1):\n    return np.zeros_like(x)\n")
    done = pytest_in(kit, "-q", "-k", "random_shapes", f"--impl={tmp_path}", "--nnlings-seed=1234")
    assert done.returncode == 1, done.stdout[-2000:]
    assert "differ from the reference" in done.stdout and "--nnlings-seed=1234" in done.stdout
