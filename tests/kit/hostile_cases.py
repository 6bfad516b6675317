"""Hostile submissions for the grader's isolation tests: what a learner might write to cheat or to break grading.

Each Case is one learner file (`source`, written to <submission>/<module>/<name>.py for `exercise`), optional
`extra` files elsewhere in the submission, the exercise statuses it may end with (`allowed`), and one
sentence (`what`) saying what it tries. tests/kit/test_hostile.py grades them all in one batch.

Two placeholders are filled in by `render` when a case is written out:
  __MARKER__    a string unique to this case and this test run; any process a case starts carries it on its
                command line, so the test can find processes that outlived grading.
  __SENTINEL__  the name of a file the test puts in its private copy of the kit. Cases that attack the kit
                touch only a folder holding that file, so even a grader that contains nothing cannot
                damage a real checkout.

Every attack limits itself in case nothing contains it: loops end after 30 s, forks stop at 200, children
sleep at most 300 s, memory is asked for untouched or capped at 4 GB, and files are only written below a
temporary folder or into the marked kit copy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

SENTINEL = "HOSTILE-TESTS-MAY-TOUCH-THIS-KIT"
SOLUTIONS = Path(__file__).resolve().parents[2] / "solutions"
"""Where a case that needs otherwise correct code takes it from."""
STATUSES = frozenset({"passed", "partial", "failed", "todo", "error", "forbidden", "timeout", "crashed",
                      "invalid_output"})


@dataclass(frozen=True)
class Case:
    name: str
    """Also the submission's folder name, hence the student name in the report."""
    exercise: str
    """The exercise id the learner file is written for, such as "losses.mse"."""
    source: str
    """The whole learner file."""
    allowed: frozenset
    """Exercise statuses this submission may get. Only passed and partial may carry points."""
    what: str
    """One sentence: what the submission tries."""
    extra: dict = field(default_factory=dict)
    """Other files of the submission: path relative to the submission folder -> text."""


def render(text: str, marker: str) -> str:
    return text.replace("__MARKER__", marker).replace("__SENTINEL__", SENTINEL)


# ---------------------------------------------------------------- building blocks (learner code)

# The reference solution of losses.mse, as a learner who got it right would write it.
MSE_CORRECT = '''

def _check(input, target, reduction):
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"reduction={reduction!r} is not one of mean, sum, none")
    np.broadcast_shapes(np.shape(input), np.shape(target))  # ValueError when they do not fit


def mse_loss(input, target, reduction="mean"):
    _check(input, target, reduction)
    squared = (input - target) ** 2
    if reduction == "mean":
        return squared.mean()
    if reduction == "sum":
        return squared.sum()
    return squared


def mse_loss_backward(input, target, reduction="mean"):
    _check(input, target, reduction)
    grad = 2 * (input - target)
    if reduction == "mean":
        grad = grad / grad.size
    grad = grad.sum(axis=tuple(range(grad.ndim - np.ndim(input))))  # a target that broadcast input: sum back
    stretched = tuple(i for i, n in enumerate(np.shape(input)) if n == 1 and grad.shape[i] != 1)
    return grad.sum(axis=stretched, keepdims=True)
'''

# A wrong gradient that never raises: zeros in input's dtype, of the shape of input and target broadcast
# together, never summed back to input's (where a target stretches input to no element at all, the right
# gradient is zeros of input's shape, so zeros like input would be right there).
WRONG_GRADIENT = '''

def _wrong_gradient(input, target):
    try:
        shape = np.broadcast_shapes(np.shape(input), np.shape(target))
    except ValueError:  # shapes that do not fit: zeros like input, since raising would pass that check
        shape = np.shape(input)
    return np.zeros(shape, dtype=np.asarray(input).dtype)
'''

# Zeros: wrong for every input the grader draws, and never raising, so that no check passes unless an attack
# makes it pass.
MSE_WRONG = WRONG_GRADIENT + '''

def mse_loss(input, target, reduction="mean"):
    zeros = np.zeros_like(np.asarray(input))
    return zeros if reduction == "none" else zeros.sum()


def mse_loss_backward(input, target, reduction="mean"):
    return _wrong_gradient(input, target)
'''

# Keeps the correct functions under other names, for attacks that wrap them.
KEEP_HONEST = '''

_honest_loss, _honest_backward = mse_loss, mse_loss_backward
'''

# A loop that would run forever if nothing stopped it: 30 s, longer than any limit, once per process.
SPIN = '''

_SPUN = []


def _spin():
    if not _SPUN:
        _SPUN.append(True)
        end = time.monotonic() + 30
        while time.monotonic() < end:
            try:
                while time.monotonic() < end:
                    pass
            except BaseException:  # whatever a signal handler raises, keep going
                continue
    raise RuntimeError("the endless loop ran out by itself: nothing stopped it")
'''

# An ndarray that says "equal" to everything: comparisons, isclose, allclose, array_equal.
AGREEABLE = '''

class Agreeable(np.ndarray):
    """Zeros that answer every comparison with 'equal'."""

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        plain = [np.asarray(x) if isinstance(x, Agreeable) else x for x in inputs]
        if "out" in kwargs:
            kwargs["out"] = tuple(np.asarray(o) for o in kwargs["out"])
        if method == "__call__":
            shape = np.broadcast_shapes(*(np.shape(x) for x in plain))
            if ufunc is np.subtract:
                return np.zeros(shape)
            if ufunc in (np.equal, np.less_equal, np.greater_equal, np.isfinite):
                return np.ones(shape, dtype=bool)
            if ufunc in (np.not_equal, np.less, np.greater, np.isnan, np.isinf):
                return np.zeros(shape, dtype=bool)
        return getattr(ufunc, method)(*plain, **kwargs)

    def __array_function__(self, func, types, args, kwargs):
        if func in (np.allclose, np.array_equal, np.array_equiv):
            return True
        if func is np.isclose:
            return np.ones(np.broadcast_shapes(np.shape(args[0]), np.shape(args[1])), dtype=bool)
        return super().__array_function__(func, types, args, kwargs)


def _agreeable(shape, dtype=np.float64, fill=0):
    return np.full(shape, fill, dtype=dtype).view(Agreeable)
'''

# Command lines of this process and of the processes above it (the runner, pytest, the grader).
ANCESTORS = '''

def _ancestor_pids(levels=6):
    pid, pids = os.getpid(), []
    for _ in range(levels):
        try:
            with open(f"/proc/{pid}/stat") as f:
                pid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            break
        if pid <= 1:
            break
        pids.append(pid)
    return pids


def _cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return [a.decode(errors="replace") for a in f.read().split(b"\\0") if a]
    except OSError:
        return []
'''

# Where kit copies may be: by relative path, from the environment, from the working folders of ancestors.
FIND_KIT = ANCESTORS + '''

def _kits():
    """Kit folders this process can reach, limited to the copy the test marked with its sentinel file."""
    here = Path(__file__).resolve().parent
    places = [Path(rel) for rel in (".", "..", "../..", "../../..")]
    places += [here / rel for rel in ("..", "../..", "../../..")]
    if os.environ.get("NNLINGS_ROOT"):
        places.append(Path(os.environ["NNLINGS_ROOT"]))
    for pid in _ancestor_pids():
        try:
            places.append(Path(os.readlink(f"/proc/{pid}/cwd")))
        except OSError:
            pass
    found = []
    for place in places:
        try:
            if (place / "__SENTINEL__").is_file() and (place / "tests").is_dir():
                found.append(place.resolve())
        except (OSError, RuntimeError):
            pass
    return sorted(set(found))
'''


def mse(*parts: str) -> str:
    """A learner file for losses.mse: `import numpy as np`, then the parts in order."""
    return "import numpy as np\n" + "".join(parts)


def cases(*items: Case) -> tuple[Case, ...]:
    return items


def statuses(*names: str) -> frozenset:
    return frozenset(names)


# ---------------------------------------------------------------- the cases

CASES = cases(
    # ---- spoofing the comparison with the result itself
    Case(
        name="eq_object",
        exercise="losses.mse",
        source=mse('''

class Anything:
    """Equal to everything, near everything, and true."""

    shape, ndim, size, dtype = (), 0, 1, np.dtype(np.float64)

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __le__(self, other):
        return True

    __ge__ = __le__

    def __lt__(self, other):
        return False

    __gt__ = __lt__

    def __bool__(self):
        return True

    def __hash__(self):
        return 0

    def __float__(self):
        return 0.0

    def __sub__(self, other):
        return self

    __rsub__ = __add__ = __radd__ = __mul__ = __rmul__ = __truediv__ = __sub__

    def __abs__(self):
        return self

    def copy(self):
        return self

    def astype(self, *args, **kwargs):
        return self


def mse_loss(input, target, reduction="mean"):
    return Anything()


def mse_loss_backward(input, target, reduction="mean"):
    return Anything()
'''),
        allowed=statuses("invalid_output"),
        what="Returns an object whose __eq__, __sub__ and friends say it equals whatever it is compared with.",
    ),
    Case(
        name="ndarray_subclass",
        exercise="losses.mse",
        source=mse(AGREEABLE, '''

def mse_loss(input, target, reduction="mean"):
    dtype = np.asarray(input).dtype
    return _agreeable(np.shape(input) if reduction == "none" else (), dtype)


def mse_loss_backward(input, target, reduction="mean"):
    return _agreeable(np.shape(input), np.asarray(input).dtype)
'''),
        allowed=statuses("invalid_output"),
        what="Returns zeros as an ndarray subclass whose __eq__, __array_ufunc__ and __array_function__ make "
             "isclose and allclose always true.",
    ),
    Case(
        name="float_subclass",
        exercise="losses.mse",
        source=mse('''

class Close(np.float64):
    """A float64 that is equal, and at distance zero, to everything."""

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __hash__(self):
        return 0

    def __sub__(self, other):
        return Close(0.0)

    __rsub__ = __sub__

    def __abs__(self):
        return Close(0.0)


def mse_loss(input, target, reduction="mean"):
    return Close(0.0)


def mse_loss_backward(input, target, reduction="mean"):
    return Close(0.0)
'''),
        allowed=statuses("invalid_output"),
        what="Returns a subclass of np.float64 that compares equal to everything and subtracts to zero.",
    ),
    Case(
        name="object_dtype",
        exercise="losses.mse",
        source=mse('''

class Anything:
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __float__(self):
        return 0.0

    def __hash__(self):
        return 0


def _objects(shape):
    out = np.empty(shape, dtype=object)
    out.fill(Anything())
    return out


def mse_loss(input, target, reduction="mean"):
    return _objects(np.shape(input) if reduction == "none" else ())


def mse_loss_backward(input, target, reduction="mean"):
    return _objects(np.shape(input))
'''),
        allowed=statuses("invalid_output"),
        what="Returns arrays of dtype object holding elements that are equal to everything.",
    ),
    Case(
        name="huge_result",
        exercise="losses.mse",
        source=mse('''

def _enormous(dtype):
    """A (10**6, 10**6) array: terabytes once copied, a single number in memory."""
    return np.lib.stride_tricks.as_strided(np.zeros(1, dtype=dtype), shape=(10**6, 10**6), strides=(0, 0))


def mse_loss(input, target, reduction="mean"):
    return _enormous(np.asarray(input).dtype)


def mse_loss_backward(input, target, reduction="mean"):
    return _enormous(np.asarray(input).dtype)
'''),
        allowed=statuses("invalid_output", "failed", "crashed"),
        what="Returns a zero-stride view that is terabytes when serialised, to exhaust whoever copies it.",
    ),
    # ---- changing the rules in the process that compares
    Case(
        name="patch_numpy",
        exercise="losses.mse",
        source=mse('''
import sys

import numpy.testing


def _everywhere(a, b, *args, **kwargs):
    return np.ones(np.broadcast_shapes(np.shape(a), np.shape(b)), dtype=bool)


np.isclose = _everywhere
np.allclose = lambda *args, **kwargs: True
np.array_equal = lambda *args, **kwargs: True
np.array_equiv = lambda *args, **kwargs: True
np.testing.assert_allclose = lambda *args, **kwargs: None
np.testing.assert_array_equal = lambda *args, **kwargs: None
np.testing.assert_array_almost_equal = lambda *args, **kwargs: None

# The grader's own comparison, if it is in this process.
for _name in ("grader.testing.compare", "grader.testing.check"):
    if _name in sys.modules:
        sys.modules[_name].compare = lambda *args, **kwargs: []
if "grader.testing.check" in sys.modules:
    sys.modules["grader.testing.check"].Check.raises = lambda self, *args, **kwargs: None


class _Flat(np.random.Generator):
    """A generator whose normal and uniform draws are all zero: inputs for which zeros are the answer."""

    def standard_normal(self, size=None, dtype=np.float64, out=None):
        return _zeros(size, dtype)

    def normal(self, loc=0.0, scale=1.0, size=None):
        return _zeros(size, np.float64)

    def uniform(self, low=0.0, high=1.0, size=None):
        return _zeros(size, np.float64)


def _zeros(size, dtype):
    return np.dtype(dtype).type(0) if size is None else np.zeros(size, dtype=dtype)


def _default_rng(seed=None):
    return seed if isinstance(seed, np.random.Generator) else _Flat(np.random.PCG64(seed))


np.random.default_rng = _default_rng
''', MSE_WRONG),
        allowed=statuses("failed"),
        what="Replaces np.isclose, np.allclose, np.array_equal, np.testing's asserts, the grader's compare and "
             "Check.raises, and np.random.default_rng (so that inputs are zeros) with versions that always agree.",
    ),
    Case(
        name="patch_ndarray_type",
        exercise="losses.mse",
        source=mse('''
import ctypes
import gc

_ndarray_dict = gc.get_referents(np.ndarray.__dict__)[0]  # the real dict behind the read-only mappingproxy


def _astype(self, dtype, *args, **kwargs):
    """Every conversion gives zeros, so two arrays compared after astype always agree."""
    return np.zeros(self.shape, dtype=dtype)


_ndarray_dict["astype"] = _astype
ctypes.pythonapi.PyType_Modified(ctypes.py_object(np.ndarray))
''', MSE_WRONG),
        allowed=statuses("failed", "crashed"),
        what="Rewrites the method np.ndarray.astype in the type's own dict so that every conversion returns zeros.",
    ),
    Case(
        name="stack_reading",
        exercise="losses.mse",
        source=mse('''
import sys


def _answer_from_the_caller():
    """The grader's `expected`, when some frame up the stack holds one."""
    frame = sys._getframe(2)
    while frame is not None:
        if "expected" in frame.f_locals:
            return frame.f_locals["expected"]
        frame = frame.f_back
    return None


def mse_loss(input, target, reduction="mean"):
    found = _answer_from_the_caller()
    if found is not None:
        return np.array(found, copy=True)
    zeros = np.zeros_like(np.asarray(input))
    return zeros if reduction == "none" else zeros.sum()


def mse_loss_backward(input, target, reduction="mean"):
    found = _answer_from_the_caller()
    return np.array(found, copy=True) if found is not None else _wrong_gradient(input, target)
''', WRONG_GRADIENT),
        allowed=statuses("failed"),
        what="Walks up the call stack with sys._getframe to the grader's frame and returns its local `expected`.",
    ),
    Case(
        name="global_state",
        exercise="losses.mse",
        source=mse('''
import os
import random
import sys
import warnings

np.seterr(all="raise")
np.random.seed(0)
random.seed(0)
warnings.simplefilter("error")
np.set_printoptions(precision=1, threshold=3)
os.chdir("/")
try:
    _GIVEN = sys.stdin.read()  # would block for ever if standard input were an open pipe nobody writes to
except (AttributeError, OSError, ValueError):
    _GIVEN = None
''', MSE_CORRECT, KEEP_HONEST, '''

def mse_loss(input, target, reduction="mean"):
    os.chdir(os.path.dirname(os.path.abspath(__file__)))
    return _honest_loss(input, target, reduction)


def mse_loss_backward(input, target, reduction="mean"):
    os.chdir("/")
    return _honest_backward(input, target, reduction)
'''),
        allowed=statuses("passed"),
        what="Correct code that sets np.seterr(all='raise'), the global seeds, warnings as errors and print options, "
             "reads standard input to its end, and changes the working directory at import and in every call.",
    ),
    Case(
        name="mutate_input",
        exercise="losses.mse",
        source=mse('''

def mse_loss(input, target, reduction="mean"):
    try:
        input -= target  # the right numbers, computed in the caller's own array
        input *= input
    except ValueError:
        return np.zeros(())
    if reduction == "none":
        return input
    return input.sum() if reduction == "sum" else input.mean()


def mse_loss_backward(input, target, reduction="mean"):
    try:
        input -= target
        input *= 2
    except ValueError:
        return np.zeros(())
    if reduction == "mean":
        input /= input.size
    return input
'''),
        allowed=statuses("failed"),
        what="Computes the right values in the caller's input array, changing it in place, and returns that array.",
    ),
    # ---- ending the process, or the test run, from inside
    Case(
        name="os_exit_import",
        exercise="losses.mse",
        source=mse('''
import os

os._exit(0)
''', MSE_CORRECT),
        allowed=statuses("crashed"),
        what="Calls os._exit(0) at import, ending whatever process imports it without a word.",
    ),
    Case(
        name="systemexit_import",
        exercise="losses.mse",
        source=mse('''

raise SystemExit(0)
''', MSE_CORRECT),
        allowed=statuses("crashed", "error"),
        what="Raises SystemExit(0) at import.",
    ),
    Case(
        name="interrupt_and_exit_in_call",
        exercise="losses.mse",
        source=mse('''
import sys


def mse_loss(input, target, reduction="mean"):
    sys.exit(0)


def mse_loss_backward(input, target, reduction="mean"):
    raise KeyboardInterrupt
'''),
        allowed=statuses("crashed", "failed"),
        what="Calls sys.exit(0) in every mse_loss and raises KeyboardInterrupt in every mse_loss_backward, as if "
             "the teacher had pressed Ctrl-C.",
    ),
    Case(
        name="evil_exceptions",
        exercise="losses.mse",
        source=mse('''

class Unprintable(Exception):
    """An error that cannot be described: turning it into text interrupts whoever tries."""

    def __str__(self):
        raise KeyboardInterrupt

    __repr__ = __str__


def mse_loss(input, target, reduction="mean"):
    raise Unprintable()


def mse_loss_backward(input, target, reduction="mean"):
    raise RuntimeError("no " * 2_500_000)
'''),
        allowed=statuses("failed", "crashed"),
        what="Raises an exception whose __str__ and __repr__ raise KeyboardInterrupt, and errors with 7.5 MB messages "
             "to bloat the records and the report.",
    ),
    Case(
        name="pytest_skip_import",
        exercise="losses.mse",
        source=mse('''
import pytest

pytest.skip("nothing to grade here", allow_module_level=True)
''', MSE_WRONG),
        allowed=statuses("error", "crashed", "forbidden"),
        what="Calls pytest.skip at import, hoping a skip is not counted as a failure.",
    ),
    Case(
        name="pytest_outcomes_in_call",
        exercise="losses.mse",
        source=mse('''

def mse_loss(input, target, reduction="mean"):
    import pytest

    pytest.skip("the learner skipped this check")


def mse_loss_backward(input, target, reduction="mean"):
    import pytest

    pytest.exit("grading is over", returncode=0)
'''),
        allowed=statuses("failed", "error", "crashed", "forbidden"),
        what="Calls pytest.skip in every mse_loss and pytest.exit(returncode=0) in every mse_loss_backward, to "
             "skip checks or end the test session as a success.",
    ),
    Case(
        name="unittest_skip_call",
        exercise="losses.mse",
        source=mse('''
import unittest


def mse_loss(input, target, reduction="mean"):
    raise unittest.SkipTest("the learner skipped this check")


def mse_loss_backward(input, target, reduction="mean"):
    raise unittest.SkipTest("the learner skipped this check")
'''),
        allowed=statuses("failed"),
        what="Raises unittest.SkipTest inside every call.",
    ),
    Case(
        name="segfault_call",
        exercise="losses.mse",
        source=mse('''
import ctypes


def mse_loss(input, target, reduction="mean"):
    return ctypes.string_at(0)


def mse_loss_backward(input, target, reduction="mean"):
    return ctypes.string_at(0)
'''),
        allowed=statuses("crashed"),
        what="Reads address 0 with ctypes.string_at(0), a segmentation fault.",
    ),
    Case(
        name="deep_recursion",
        exercise="losses.mse",
        source=mse('''
import sys

sys.setrecursionlimit(10**8)


def _down(n):
    return n if n == 0 else list(map(_down, [n - 1]))[0]  # through C, so the C stack overflows


def mse_loss(input, target, reduction="mean"):
    return _down(10**7)


def mse_loss_backward(input, target, reduction="mean"):
    return _down(10**7)
'''),
        allowed=statuses("crashed", "failed"),
        what="Lifts the recursion limit to 10**8 and recurses through C until the stack overflows.",
    ),
    # ---- time, memory, processes, output, files
    Case(
        name="infinite_loop",
        exercise="losses.mse",
        source=mse('''
import time
''', SPIN, '''

def mse_loss(input, target, reduction="mean"):
    _spin()


def mse_loss_backward(input, target, reduction="mean"):
    _spin()
'''),
        allowed=statuses("timeout"),
        what="Busy-loops inside a call (for 30 s, far past the limit, so that an uncontained run still ends).",
    ),
    Case(
        name="loop_ignoring_signals",
        exercise="losses.mse",
        source=mse('''
import signal
import time

for _name in ("SIGTERM", "SIGINT", "SIGALRM", "SIGHUP", "SIGUSR1", "SIGUSR2", "SIGXCPU", "SIGVTALRM", "SIGPROF"):
    if hasattr(signal, _name):
        signal.signal(getattr(signal, _name), signal.SIG_IGN)
''', SPIN, '''

def mse_loss(input, target, reduction="mean"):
    _spin()


def mse_loss_backward(input, target, reduction="mean"):
    _spin()
'''),
        allowed=statuses("timeout"),
        what="Ignores SIGTERM, SIGINT, SIGALRM and the other catchable signals, then busy-loops swallowing every exception.",
    ),
    Case(
        name="memory_bomb",
        exercise="losses.mse",
        source=mse('''

# 4 GB of address space, more than any exercise needs, with half a gigabyte of it really written
# (writing all of it would take longer than a call may, and the test is about memory, not time).
_HOARD = np.empty(4 * 2**30, dtype=np.uint8)
_HOARD[: 2**29] = 1
''', MSE_CORRECT, KEEP_HONEST, '''

def _greedy():
    try:
        return np.empty(50 * 10**9, dtype=np.uint8)  # 50 GB at once, never touched
    except MemoryError:
        return None  # refused: carry on, the answer is what counts


def mse_loss(input, target, reduction="mean"):
    _greedy()
    return _honest_loss(input, target, reduction)


def mse_loss_backward(input, target, reduction="mean"):
    _greedy()
    return _honest_backward(input, target, reduction)
'''),
        allowed=statuses("error", "crashed", "failed"),
        what="Holds 4 GB at import (512 MB of it written) and asks for 50 GB in every call, answering correctly "
             "whenever it was not stopped.",
    ),
    Case(
        name="fork_bomb",
        exercise="losses.mse",
        source=mse('''
import os
import time

for _ in range(200):  # a bounded bomb: 200 children that each sleep 10 s and leave
    if os.fork() == 0:
        try:
            time.sleep(10)
        finally:
            os._exit(0)
''', MSE_CORRECT),
        allowed=statuses("error", "crashed"),
        what="Forks 200 processes at import (each sleeps 10 s, then exits), then answers correctly if all were allowed.",
    ),
    Case(
        name="orphan_process",
        exercise="losses.mse",
        source=mse('''
import os
import subprocess
import sys

_SLEEPER = [sys.executable, "-c", "import time; time.sleep(300)", "__MARKER__"]
subprocess.Popen(_SLEEPER, start_new_session=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                 stderr=subprocess.DEVNULL)
_pid = os.fork()  # and a classic daemon: fork, setsid, fork again, exec
if _pid == 0:
    try:
        os.setsid()
        if os.fork() == 0:
            os.execv(sys.executable, _SLEEPER)
    finally:
        os._exit(0)
os.waitpid(_pid, 0)
''', MSE_CORRECT),
        allowed=statuses("passed", "error", "crashed"),
        what="Starts two 300 s sleepers in new sessions at import (Popen with start_new_session, and a double fork) that outlive the call.",
    ),
    Case(
        name="threads_left_running",
        exercise="losses.mse",
        source=mse('''
import threading
import time


def _busy():
    end = time.monotonic() + 30
    while time.monotonic() < end:
        pass


threading.Thread(target=_busy, daemon=False).start()
''', MSE_CORRECT),
        allowed=statuses("passed"),
        what="Correct code that leaves a non-daemon thread spinning for 30 s, which would hold up a normal exit.",
    ),
    Case(
        name="huge_output",
        exercise="losses.mse",
        source=mse('''
import sys

_MEGABYTE = "x" * (2**20 - 1)
for _ in range(150):
    print(_MEGABYTE)
for _ in range(50):
    print(_MEGABYTE, file=sys.stderr)
''', MSE_CORRECT),
        allowed=statuses("passed", "crashed", "error", "timeout"),
        what="Correct code that prints 150 MB to standard output and 50 MB to standard error at import.",
    ),
    Case(
        name="file_size_bomb",
        exercise="losses.mse",
        source=mse('''
import os
import tempfile

_fd, _path = tempfile.mkstemp(prefix="__MARKER__-")
try:
    _megabyte = b"x" * 2**20
    for _ in range(300):
        os.write(_fd, _megabyte)
finally:
    os.close(_fd)
    os.remove(_path)
''', MSE_CORRECT),
        allowed=statuses("crashed", "error", "failed"),
        what="Writes a 300 MB file at import (removing it afterwards), then answers correctly if it was allowed to.",
    ),
    # ---- forbidden libraries
    Case(
        name="torch_static",
        exercise="losses.mse",
        source=mse('''
import torch


def mse_loss(input, target, reduction="mean"):
    x, t = torch.from_numpy(np.asarray(input)), torch.from_numpy(np.asarray(target))
    return torch.nn.functional.mse_loss(x, t, reduction=reduction).numpy()


def mse_loss_backward(input, target, reduction="mean"):
    x = torch.from_numpy(np.array(input)).requires_grad_(True)
    loss = torch.nn.functional.mse_loss(x, torch.from_numpy(np.asarray(target)), reduction=reduction)
    (grad,) = torch.autograd.grad(loss, x, torch.ones_like(loss))
    return grad.numpy()
'''),
        allowed=statuses("forbidden"),
        what="Imports torch with a plain import statement and lets it do the work.",
    ),
    Case(
        name="torch_runtime",
        exercise="losses.mse",
        source=mse(MSE_CORRECT, KEEP_HONEST, '''


def _borrowed():
    try:
        return __import__("to" + "rch")
    except ImportError:
        return None


def mse_loss(input, target, reduction="mean"):
    _check(input, target, reduction)
    lib = _borrowed()
    if lib is None:
        return _honest_loss(input, target, reduction)
    x, t = lib.from_numpy(np.asarray(input)), lib.from_numpy(np.asarray(target))
    return lib.nn.functional.mse_loss(x, t, reduction=reduction).numpy()


def mse_loss_backward(input, target, reduction="mean"):
    _borrowed()
    return _honest_backward(input, target, reduction)
'''),
        allowed=statuses("forbidden"),
        what="Imports torch inside a call through __import__ with a name the static check cannot see (correct NumPy code if that fails).",
    ),
    Case(
        name="importlib_forbidden",
        exercise="losses.mse",
        source=mse('''
import importlib

_BORROWED = {}
for _name in ("to" + "rch", "sc" + "ipy", "sk" + "learn"):
    try:
        _BORROWED[_name] = importlib.import_module(_name)
    except ImportError:
        pass
''', MSE_CORRECT),
        allowed=statuses("forbidden"),
        what="Imports torch, scipy and sklearn at import time through importlib with assembled names, then answers correctly in NumPy.",
    ),
    # ---- the grader's own files, the kit, and the process above
    Case(
        name="forged_results",
        exercise="losses.mse",
        source=mse('''
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

MARKER = "__MARKER__"
STUDENT = Path(__file__).resolve().parents[1].name
TESTS = ("test_mse_loss", "test_mse_loss_backward", "test_bad_reduction", "test_incompatible_shapes")
REPORT = {"schema": "nnlings-report/1", "forged_by": MARKER, "submission": STUDENT, "error": None,
          "score": 100.0, "possible": 100.0,
          "exercises": [{"id": "losses.mse", "status": "passed", "score": 10.0, "possible": 10.0,
                         "tests": [{"name": t, "status": "passed", "message": ""} for t in TESTS]}]}
RECORD = {"forged_by": MARKER, "exitstatus": 0, "collect_errors": [],
          "cases": [{"nodeid": f"tests/losses/test_mse.py::{t}", "exercise": "losses.mse", "test": t, "params": "",
                     "status": "passed", "message": "", "duration": 0.0} for t in TESTS]}
SAFE = [Path(p).resolve() for p in (tempfile.gettempdir(), "/tmp", "/var/tmp")]
''', ANCESTORS, '''


def _safe(path):
    """Write only below a temporary folder: the test's copies of everything live there."""
    path = Path(path).resolve()
    return path.parent.is_dir() and any(path.is_relative_to(root) for root in SAFE)


def _targets():
    """(path, forgery): records and reports wherever the grader may read them."""
    here = Path(__file__).resolve()
    found, folders = [], list(here.parents[:4])
    for where in (Path.cwd, lambda: Path(tempfile.gettempdir())):
        try:
            folders.append(where())
        except (OSError, FileNotFoundError):
            pass
    for folder in folders:
        found += [(folder / "record.json", RECORD), (folder / "report.json", REPORT)]
        for out in (folder, folder / "out"):
            if (out / "reports").is_dir():
                found.append((out / "reports" / f"{STUDENT}.json", REPORT))
    for pid in [os.getpid(), *_ancestor_pids()]:
        args = _cmdline(pid)
        for i, arg in enumerate(args):
            if arg.startswith("--nnlings-record="):
                found.append((Path(arg.split("=", 1)[1]), RECORD))
            if arg == "--out-dir" and i + 1 < len(args):
                found.append((Path(args[i + 1]) / "reports" / f"{STUDENT}.json", REPORT))
    return [(str(path), content) for path, content in found if _safe_or_false(path)]


def _safe_or_false(path):
    try:
        return _safe(path)
    except (OSError, RuntimeError):
        return False


# Keeps every forgery in place for two minutes, rewriting it whenever someone else writes the file.
KEEPER = """
import json, sys, time
from pathlib import Path
targets = [(Path(p), json.dumps(c)) for p, c in json.loads(sys.argv[1])]
end = time.monotonic() + 120
while time.monotonic() < end:
    for path, text in targets:
        try:
            if not path.exists() or path.read_text() != text:
                path.write_text(text)
        except OSError:
            pass
    time.sleep(0.02)
"""

try:
    _TARGETS = _targets()
except Exception:  # the attack is best effort; a failure here must not look like the grader's verdict
    _TARGETS = []
for _path, _content in _TARGETS:
    try:
        Path(_path).write_text(json.dumps(_content))
    except OSError:
        pass
try:
    subprocess.Popen([sys.executable, "-c", KEEPER, json.dumps(_TARGETS), MARKER], start_new_session=True,
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
except OSError:
    pass
''', MSE_WRONG),
        allowed=statuses("failed"),
        what="Writes forged all-passed records and reports into the working folder, the temporary folder, the "
             "grader's --nnlings-record and --out-dir, and leaves a process rewriting them for two minutes.",
    ),
    Case(
        name="write_outside",
        exercise="losses.mse",
        source=mse('''
import os
from pathlib import Path

STUDENT = Path(__file__).resolve().parents[1].name
PLANTED = f"""
# planted by a hostile submission (__MARKER__): every check of {STUDENT!r} passes
import sys

import pytest


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if any({STUDENT!r} in arg for arg in sys.argv):
        report.outcome, report.longrepr = "passed", None
        report.user_properties.append(("nnlings_status", "passed"))
    return report
"""
''', FIND_KIT, '''


def _write(path, text, append=False):
    try:
        with open(path, "a" if append else "w") as f:
            f.write(text)
    except OSError:
        pass


for _folder in ("/tmp", *Path(__file__).resolve().parents[1:3]):
    _write(Path(_folder) / "__MARKER__-outside.txt", "written by a hostile submission")
try:
    _KITS = _kits()
except Exception:  # best effort: a failure here must not look like the grader's verdict
    _KITS = []
for _kit in _KITS:
    _write(_kit / "conftest.py", PLANTED)
    _write(_kit / "tests" / "conftest.py", PLANTED, append=True)
    _write(_kit / "tests" / "losses" / "conftest.py", PLANTED)
''', MSE_WRONG),
        allowed=statuses("failed"),
        what="Writes files outside its folder: into the temporary folder, beside the submissions, and conftest.py "
             "files that pass its own checks into every kit it can reach.",
    ),
    Case(
        name="tamper_kit",
        exercise="losses.mse",
        source=mse('''
import os
from pathlib import Path

STUDENT = Path(__file__).resolve().parents[1].name
# Appended to the kit's catalogue of mistakes, which the grader imports after the learner's file.
HIJACK = f"""

# appended by a hostile submission (__MARKER__)
import sys as _sys

if any({STUDENT!r} in _arg for _arg in _sys.argv):
    from grader.testing import check as _check_module

    _check_module.Check.close = lambda self, scenario, expected, **kwargs: None
    _check_module.Check.raises = lambda self, scenario, **kwargs: None
"""
''', FIND_KIT, '''


try:
    _KITS = _kits()
except Exception:  # best effort: a failure here must not look like the grader's verdict
    _KITS = []
for _kit in _KITS:
    for _rel, _text in (("tests/losses/mistakes_mse.py", HIJACK), ("tests/losses/test_mse.py", "\\n# __MARKER__\\n"),
                        ("curriculum.toml", "\\n# __MARKER__\\n")):
        try:
            with open(_kit / _rel, "a") as _f:
                _f.write(_text)
        except OSError:
            pass
    try:
        os.remove(_kit / "tests" / "losses" / "hostile-canary.txt")
    except OSError:
        pass
''', MSE_WRONG),
        allowed=statuses("failed"),
        what="Finds the kit through relative paths (../../tests), NNLINGS_ROOT and its ancestors' working folders, "
             "appends code that passes its checks to the kit's mistakes file, and deletes a kit file.",
    ),
    Case(
        name="conftest_in_submission",
        exercise="losses.mse",
        source=mse(MSE_WRONG),
        extra={
            "conftest.py": '''"""A submission's own pytest plugin: every check passes."""
import pytest


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    report.outcome, report.longrepr = "passed", None
    report.user_properties.append(("nnlings_status", "passed"))
    return report
''',
            "losses/conftest.py": '''import pytest


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    report.outcome, report.longrepr = "passed", None
    report.user_properties.append(("nnlings_status", "passed"))
    return report
''',
            "pytest.ini": "[pytest]\naddopts = -p no:nnlings -p no:timeout\n",
        },
        allowed=statuses("failed"),
        what="Wrong code with a conftest.py beside it and at the submission's root that turns every report into a "
             "pass, and a pytest.ini that disables the nnlings plugin.",
    ),
    Case(
        name="shadow_numpy",
        exercise="losses.mse",
        source=mse(MSE_WRONG),
        extra={
            "numpy/__init__.py": '''"""Not NumPy: loads the real one from elsewhere, then makes every comparison agree."""
import importlib
import os
import sys

_mine = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _mine]
del sys.modules[__name__]
_real = importlib.import_module("numpy")
_real.isclose = lambda a, b, *args, **kwargs: _real.ones(_real.broadcast_shapes(_real.shape(a), _real.shape(b)), dtype=bool)
_real.allclose = lambda *args, **kwargs: True
_real.array_equal = lambda *args, **kwargs: True
sys.modules[__name__] = _real
''',
            "losses/numpy/__init__.py": '''"""Not NumPy either: the same trick, next to the exercise file."""
import importlib
import os
import sys

_mine = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _mine]
del sys.modules[__name__]
_real = importlib.import_module("numpy")
_real.isclose = lambda a, b, *args, **kwargs: _real.ones(_real.broadcast_shapes(_real.shape(a), _real.shape(b)), dtype=bool)
_real.allclose = lambda *args, **kwargs: True
sys.modules[__name__] = _real
''',
            "sitecustomize.py": '''import numpy

numpy.isclose = lambda a, b, *args, **kwargs: numpy.ones(numpy.broadcast_shapes(numpy.shape(a), numpy.shape(b)), dtype=bool)
numpy.allclose = lambda *args, **kwargs: True
''',
            "losses/usercustomize.py": '''import numpy

numpy.isclose = lambda a, b, *args, **kwargs: numpy.ones(numpy.broadcast_shapes(numpy.shape(a), numpy.shape(b)), dtype=bool)
numpy.allclose = lambda *args, **kwargs: True
''',
        },
        allowed=statuses("failed"),
        what="Wrong code with a shadow numpy/ package (at the root and beside the exercise) and sitecustomize/"
             "usercustomize files that make every NumPy comparison agree if anything loads them.",
    ),
    Case(
        name="snoop",
        exercise="losses.mse",
        source=mse('''
import os
from pathlib import Path
''', ANCESTORS, '''


def _leak():
    """A few bytes of an ancestor's memory, from /proc/<pid>/mem; None when none can be read."""
    for pid in _ancestor_pids():
        try:
            with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "rb", 0) as mem:
                for line in maps:
                    addresses, perms = line.split()[:2]
                    if not perms.startswith("r"):
                        continue
                    try:
                        mem.seek(int(addresses.split("-")[0], 16))
                        data = mem.read(64)
                    except (OSError, ValueError, OverflowError):
                        continue
                    if data:
                        return data
        except OSError:
            continue
    return None


def _solution_text():
    """The kit's reference solution, found from NNLINGS_ROOT, working folders or parent folders."""
    places = list(Path(__file__).resolve().parents)
    try:
        places += [Path.cwd(), *Path.cwd().parents]
    except OSError:
        pass
    if os.environ.get("NNLINGS_ROOT"):
        places.insert(0, Path(os.environ["NNLINGS_ROOT"]))
    for pid in _ancestor_pids():
        try:
            places.append(Path(os.readlink(f"/proc/{pid}/cwd")))
        except OSError:
            pass
    for place in places:
        try:
            return (place / "solutions" / "losses" / "mse.py").read_text()
        except (OSError, UnicodeDecodeError):
            continue
    return None


_STOLEN = {}
try:
    _LEAKED = _leak()  # reading the grader's memory counts as a win: the answers then come out right
    _text = _solution_text()
    if _text:
        exec(compile(_text, "stolen", "exec"), _STOLEN)
except Exception:  # best effort: a failure here must not look like the grader's verdict
    _LEAKED = None
''', MSE_CORRECT, KEEP_HONEST, '''

def mse_loss(input, target, reduction="mean"):
    if "mse_loss" in _STOLEN:
        return _STOLEN["mse_loss"](input, target, reduction)
    if _LEAKED:
        return _honest_loss(input, target, reduction)
    zeros = np.zeros_like(np.asarray(input))
    return zeros if reduction == "none" else zeros.sum()


def mse_loss_backward(input, target, reduction="mean"):
    if "mse_loss_backward" in _STOLEN:
        return _STOLEN["mse_loss_backward"](input, target, reduction)
    return _honest_backward(input, target, reduction) if _LEAKED else _wrong_gradient(input, target)
''', WRONG_GRADIENT),
        allowed=statuses("failed"),
        what="Reads the memory of the processes above it through /proc/<pid>/mem and looks for the kit's "
             "solutions/losses/mse.py, answering correctly only if either works.",
    ),
    # ---- other exercises: a forbidden NumPy shortcut, a class, an optimiser that works in place
    Case(
        name="broadcasting_getattr",
        exercise="tensors.broadcasting",
        source=(SOLUTIONS / "tensors" / "broadcasting.py").read_text(encoding="utf-8") + '''

# NumPy's own helpers, under names the static check cannot see, in place of the reference's own two.
_SHAPES = getattr(np, "broad" + "cast" + "_shapes")
_TO = getattr(np, "broad" + "cast" + "_to")


def broadcast_shapes(*shapes):
    return tuple(int(n) for n in _SHAPES(*shapes))


def broadcast_to(x, shape):
    return np.array(_TO(np.asarray(x), tuple(int(n) for n in shape)))
''',
        allowed=statuses("forbidden", "failed"),
        what="Uses the forbidden np.broadcast_shapes and np.broadcast_to through getattr with assembled names.",
    ),
    Case(
        name="batchnorm_spoof",
        exercise="norm.batchnorm",
        source="import numpy as np\n" + AGREEABLE + '''

class BatchNorm2d:
    """Every attribute and every output is an array of zeros that agrees with everything."""

    def __init__(self, num_features, eps=1e-5, momentum=0.1):
        self.weight = _agreeable(num_features)
        self.bias = _agreeable(num_features)
        self.running_mean = _agreeable(num_features)
        self.running_var = _agreeable(num_features)
        self.num_batches_tracked = _agreeable((), np.int64)
        self.training = _agreeable((), np.bool_, True)

    def train(self):
        return self

    def eval(self):
        return self

    def forward(self, x):
        return _agreeable(np.shape(x), np.asarray(x).dtype)

    def __call__(self, x):
        return self.forward(x)
''',
        allowed=statuses("invalid_output"),
        what="A BatchNorm2d whose outputs and attributes are ndarray subclasses that compare equal to everything.",
    ),
    Case(
        name="adam_stack_inplace",
        exercise="optim.adam",
        source='''import sys

import numpy as np


def _expected_trajectories():
    """The grader's `expected` tuple of trajectories, when some frame up the stack holds one."""
    frame = sys._getframe(1)
    while frame is not None:
        found = frame.f_locals.get("expected")
        if isinstance(found, tuple):
            return found
        frame = frame.f_back
    return None


class Adam:
    """Steps by copying the grader's own answer into the parameters, in place."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        self.params = list(params)
        self.t = 0

    def step(self, grads):
        self.t += 1
        found = _expected_trajectories()
        for k, p in enumerate(self.params):
            if found is not None and k < len(found) and self.t < len(found[k]):
                p[...] = found[k][self.t]
''',
        allowed=statuses("failed"),
        what="An Adam whose step reads the grader's expected trajectories from the call stack and writes them into "
             "the parameters in place.",
    ),
    # ---- a function of the grader's passed in (greedy_decode's step): it runs on the judge's side, with plain values
    Case(
        name="callback_hammer",
        exercise="rnn.greedy_decode",
        source='''import time

import numpy as np


def greedy_decode(step, h0, start_token, max_len, eos_token=None):
    """Calls the grader's step a million times (30 s at most) before it answers anything."""
    end = time.monotonic() + 30
    for _ in range(10**6):
        if time.monotonic() > end:
            break
        step(start_token, h0)
    return []
''',
        allowed=statuses("timeout"),
        what="A greedy_decode that calls the grader's step function a million times in one call.",
    ),
    Case(
        name="callback_spoofed_array",
        exercise="rnn.greedy_decode",
        source=(SOLUTIONS / "rnn" / "greedy_decode.py").read_text(encoding="utf-8") + '''

class FakeState:
    """Poses as the decoder's state: shape, dtype and __array__ of a real one, but an object of the learner's."""

    def __init__(self, h):
        self._h = np.asarray(h)
        self.shape, self.dtype, self.ndim = self._h.shape, self._h.dtype, self._h.ndim

    def __array__(self, dtype=None, copy=None):
        return self._h if dtype is None else self._h.astype(dtype)

    def __len__(self):
        return len(self._h)

    def __getitem__(self, index):
        return self._h[index]


_honest_decode = greedy_decode


def greedy_decode(step, h0, start_token, max_len, eos_token=None):
    """The reference loop, but every state handed to the grader's step is a FakeState."""
    def spoofing(token, h):
        return step(token, FakeState(h))
    return _honest_decode(spoofing, h0, start_token, max_len, eos_token)
''',
        allowed=statuses("failed", "partial", "error"),
        what="Calls the grader's step with an object that poses as an array (shape, dtype, __array__) in place of the "
             "state.",
    ),
    Case(
        name="callback_kept",
        exercise="rnn.greedy_decode",
        source=(SOLUTIONS / "rnn" / "greedy_decode.py").read_text(encoding="utf-8") + '''

_honest_decode = greedy_decode
_KEPT = []


def greedy_decode(step, h0, start_token, max_len, eos_token=None):
    """Keeps the first step function it is given in a global and decodes with that one in every later call."""
    if not _KEPT:
        _KEPT.append(step)
    return _honest_decode(_KEPT[0], h0, start_token, max_len, eos_token)
''',
        allowed=statuses("failed", "partial"),
        what="Keeps the grader's step function from its first call in a global and calls it again in later calls.",
    ),
    # ---- operators on the learner's objects (autograd.value): Python's dispatch runs in the runner
    Case(
        name="operator_spin",
        exercise="autograd.value",
        source="import time\n" + (SOLUTIONS / "autograd" / "value.py").read_text(encoding="utf-8") + SPIN + '''

def _spinning_add(self, other):
    _spin()


Value.__add__ = _spinning_add
''',
        allowed=statuses("timeout"),
        what="A Value whose + busy-loops (30 s at most), reached through the operator, not a method call.",
    ),
    Case(
        name="operator_foreign_result",
        exercise="autograd.value",
        source=(SOLUTIONS / "autograd" / "value.py").read_text(encoding="utf-8") + '''

class Same(float):
    """A float equal to everything and at distance zero from it."""

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __hash__(self):
        return 0

    def __sub__(self, other):
        return Same(0.0)

    __rsub__ = __sub__

    def __abs__(self):
        return Same(0.0)


class Pretender:
    """What * hands back: no Value, just data and grad that agree with anything, and a backward that does nothing."""

    def __init__(self):
        self.data, self.grad = Same(0.0), Same(0.0)

    def __getattr__(self, name):
        return lambda *args: self

    def __add__(self, other):
        return self

    __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = __rtruediv__ = __pow__ = __add__

    def __neg__(self):
        return self

    def backward(self):
        pass


def _pretending_mul(self, other):
    return Pretender()


Value.__mul__ = Value.__rmul__ = _pretending_mul
''',
        allowed=statuses("failed", "partial", "invalid_output", "error"),
        what="A Value whose * returns a foreign object with a data and a grad that compare equal to everything.",
    ),
    Case(
        name="operator_exit",
        exercise="autograd.value",
        source="import os\n" + (SOLUTIONS / "autograd" / "value.py").read_text(encoding="utf-8") + '''

def _exiting_neg(self):
    os._exit(0)


Value.__neg__ = _exiting_neg
''',
        allowed=statuses("crashed", "failed", "partial"),
        what="A Value whose unary - ends the process with os._exit(0), in the middle of the grader's expression.",
    ),
    # ---- a function the learner returns (train_loop's predict): it runs in the runner, its result crosses back
    Case(
        name="returned_function_spin",
        exercise="autograd.train_loop",
        source="import time\n" + (SOLUTIONS / "autograd" / "train_loop.py").read_text(encoding="utf-8") + SPIN + '''

_honest_train = train


def train(x, y, hidden=32, steps=2000, lr=1e-2, rng=None):
    """Trains honestly, but the predict it returns busy-loops (30 s at most)."""
    _, losses = _honest_train(x, y, hidden, steps, lr, rng)

    def predict(x_new):
        _spin()

    return predict, losses
''',
        allowed=statuses("timeout", "partial"),
        what="A train whose returned predict busy-loops when the grader calls it.",
    ),
    Case(
        name="returned_function_fake_array",
        exercise="autograd.train_loop",
        source=(SOLUTIONS / "autograd" / "train_loop.py").read_text(encoding="utf-8") + '''

class FakePredictions:
    """Poses as predictions: the shape and dtype asked for, __array__ of zeros, and equal to everything."""

    def __init__(self, x_new):
        self.shape, self.dtype, self.ndim = (len(x_new), 1), np.asarray(x_new).dtype, 2
        self.size = len(x_new)

    def __array__(self, dtype=None, copy=None):
        return np.zeros(self.shape, dtype or self.dtype)

    def __eq__(self, other):
        return True

    def __sub__(self, other):
        return self

    __rsub__ = __sub__

    def __pow__(self, other):
        return np.zeros(self.shape)

    def astype(self, dtype):
        return self

    def reshape(self, *shape):
        return np.zeros(self.size)


_honest_train = train


def train(x, y, hidden=32, steps=2000, lr=1e-2, rng=None):
    """Trains nothing: falling losses made up, and a predict that answers with a FakePredictions."""
    n = steps if isinstance(steps, int) and steps > 0 else 1
    _honest_train(x[:1], y[:1], 1, 1, lr, rng)  # the argument checks only
    return (lambda x_new: FakePredictions(x_new)), [1.0 / (i + 1) for i in range(n)]
''',
        allowed=statuses("failed", "partial", "invalid_output", "error"),
        what="A train that fits nothing and whose predict returns an object posing as an array of predictions.",
    ),
)
