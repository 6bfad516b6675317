"""The runner on its own: the wire format, the stand-ins, write-back, limits and what each fault becomes."""

import os
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from grader.core.loader import ForbiddenError, LoadError
from grader.runner import wire
from grader.runner.errors import CrashedBefore, ForbiddenUse, InvalidOutput, RemoteError, RunnerCrashed, RunnerTimeout
from grader.runner.limits import Limits
from grader.runner.pool import ExerciseRunner, Pool

FAST = Limits(call_seconds=2.0, exercise_seconds=6.0)


@pytest.fixture
def runner(tmp_path):
    """An ExerciseRunner over a submission holding losses/mse.py with the given source."""
    made = []

    def make(source: str, exercise="losses.mse", forbid=(), limits=FAST):
        module, name = exercise.split(".")
        path = tmp_path / module / f"{name}.py"
        path.parent.mkdir(exist_ok=True)
        path.write_text(textwrap.dedent(source), encoding="utf-8")
        made.append(ExerciseRunner(tmp_path, exercise, forbid, limits))
        return made[-1]

    yield make
    for r in made:
        r.close()


# ---------------------------------------------------------------- the wire

@pytest.mark.parametrize("value", [
    np.arange(6, dtype=np.float32).reshape(2, 3), np.array(3.5), np.zeros((0, 4)), np.float32(2.5), np.int64(7),
    np.bool_(True), 1.5, float("nan"), -float("inf"), 3, True, None, "mean", (np.ones(2), [1, 2]), {"a": np.ones(1)},
])
def test_wire_round_trip_keeps_exact_types(value):
    """Does every plain value come back equal and of exactly the same type (and dtype)?"""
    encoder = wire.Encoder()
    header = {"v": encoder.encode(value)}
    back = wire.decode(header["v"], encoder.buffers)
    assert type(back) is type(value)
    if isinstance(value, np.ndarray):
        assert back.dtype == value.dtype and back.shape == value.shape and np.array_equal(back, value)
        assert back.flags.writeable
    elif isinstance(value, float) and value != value:
        assert back != back
    elif not isinstance(value, (tuple, dict)):
        assert back == value


@pytest.mark.parametrize("value", [np.array([object()], dtype=object), np.ma.masked_array([1.0]),
                                   np.array(["a"]), type("F", (float,), {})(1.0), object()])
def test_wire_refuses_what_is_not_plain(value):
    """Are object arrays, strings, ndarray and float subclasses and arbitrary objects refused by name?"""
    with pytest.raises(wire.Unsendable):
        wire.Encoder().encode(value)


def test_wire_refuses_forged_arrays():
    """Does a header that lies about an array's size or dtype fail to decode instead of making one?"""
    with pytest.raises(wire.WireError):
        wire.decode({"$nd": 0, "dtype": "<f8", "shape": [3]}, [b"\0" * 16])
    with pytest.raises(wire.WireError):
        wire.decode({"$nd": 0, "dtype": "|O", "shape": [1]}, [b"\0" * 8])


# ---------------------------------------------------------------- stand-ins

MSE = """
    import numpy as np

    def mse_loss(input, target, reduction="mean"):
        if reduction not in ("mean", "sum", "none"):
            raise ValueError(f"bad reduction {reduction!r}")
        d = (input - target) ** 2
        return d.mean() if reduction == "mean" else d.sum() if reduction == "sum" else d
"""


def test_calls_and_learner_errors(runner):
    """Do calls return exact values, and a learner's ValueError arrive as a ValueError with its line?"""
    m, _ = runner(MSE).module()
    x, y = np.arange(4.0), np.zeros(4)
    assert type(m.mse_loss(x, y)) is np.float64 and m.mse_loss(x, y, reduction="sum") == 14.0
    with pytest.raises(ValueError, match="bad reduction") as caught:
        m.mse_loss(x, y, reduction="avg")
    assert isinstance(caught.value, RemoteError) and caught.value.frames[-1][1] == 6


def test_objects_live_in_the_runner_and_arrays_are_written_back(runner):
    """Does an optimiser built there update the caller's arrays in place, and a generator advance here too?"""
    source = """
        import numpy as np

        class Adam:
            def __init__(self, params, lr=0.1):
                self.params, self.lr = params, lr
            def step(self, grads):
                for p, g in zip(self.params, grads):
                    p -= self.lr * g

        def noise(shape, rng):
            return rng.standard_normal(shape)
    """
    m, _ = runner(source, exercise="optim.adam").module()
    w = np.ones(3)
    opt = m.Adam([w], lr=0.5)
    opt.step([np.ones(3)])
    opt.step([np.ones(3)])
    assert np.array_equal(w, np.zeros(3)) and opt.lr == 0.5
    here, there = np.random.default_rng(5), np.random.default_rng(5)
    assert np.array_equal(m.noise((2,), there), here.standard_normal(2))
    assert np.array_equal(m.noise((2,), there), here.standard_normal(2))  # the generator moved on, as in-process


def test_setattr_reaches_the_object(runner):
    """Does `obj.attr = value` on a stand-in change the object in the runner?"""
    source = """
        class Box:
            def __init__(self):
                self.value = 1
    """
    m, _ = runner(source, exercise="norm.batchnorm").module()
    box = m.Box()
    box.value = np.arange(3)
    assert np.array_equal(box.value, np.arange(3))


def test_len_and_iteration_run_in_the_runner(runner):
    """Do len(obj) and `for batch in obj` reach the learner's __len__ and __iter__, a generator included?"""
    source = """
        import numpy as np

        class Loader:
            def __init__(self, x, size):
                self.x, self.size = x, size
            def __len__(self):
                return -(-len(self.x) // self.size)
            def __iter__(self):
                for start in range(0, len(self.x), self.size):
                    yield (self.x[start:start + self.size],)

        class Plain:
            pass
    """
    m, _ = runner(source, exercise="tensors.data_split").module()
    loader = m.Loader(np.arange(5.0), 2)
    assert len(loader) == 3
    batches = [b for (b,) in loader]
    assert [b.tolist() for b in batches] == [[0.0, 1.0], [2.0, 3.0], [4.0]]
    assert [len(list(loader)), len(list(loader))] == [3, 3]  # a fresh iterator every time
    with pytest.raises(TypeError):
        len(m.Plain())  # no __len__: the same TypeError as in-process


def test_a_method_that_returns_its_object_gives_the_same_stand_in(runner):
    """Does `fit` returning `self` come back as the very object it was called on, and a new object of the
    learner's class from a method as a stand-in, while a module function's object is still refused?"""
    source = """
        class Scaler:
            def fit(self, x):
                self.seen = x
                return self
            def fresh(self):
                return Scaler()

        def spoof():
            return Scaler()
    """
    m, _ = runner(source, exercise="tensors.minmax_scale").module()
    scaler = m.Scaler()
    assert scaler.fit(np.ones(2)) is scaler and scaler.seen.tolist() == [1.0, 1.0]
    other = scaler.fresh()
    assert other is not scaler and other.fit(np.zeros(1)).seen.tolist() == [0.0]
    with pytest.raises(InvalidOutput):
        m.spoof()


def test_a_learners_warning_reaches_the_judge(runner):
    """Is a RuntimeWarning raised by the learner's code in the runner raised here too, from the learner's line?"""
    source = """
        import numpy as np

        def sigmoid(x):
            return 1 / (1 + np.exp(-x))
    """
    m, _ = runner(source, exercise="activations.sigmoid").module()
    with pytest.warns(RuntimeWarning, match="overflow encountered in exp") as caught:
        out = m.sigmoid(np.array([-1e4, 0.0]))
    assert out.tolist() == [0.0, 0.5] and caught[0].lineno == 5


# ---------------------------------------------------------------- faults

def test_spoofing_objects_are_invalid_output(runner):
    """Is an object with its own __eq__, or an ndarray subclass, refused before any comparison?"""
    source = """
        import numpy as np

        class Anything:
            def __eq__(self, other):
                return True

        class Sly(np.ndarray):
            pass

        def mse_loss(input, target, reduction="mean"):
            return Anything() if reduction == "mean" else np.zeros(1).view(Sly)
    """
    m, _ = runner(source).module()
    for reduction in ("mean", "sum"):
        with pytest.raises(InvalidOutput):
            m.mse_loss(np.ones(2), np.ones(2), reduction=reduction)


@pytest.mark.parametrize("body, expected", [
    ("import sys; sys.exit(0)", RunnerCrashed),
    ("import os; os._exit(0)", RunnerCrashed),
    ("raise KeyboardInterrupt", RunnerCrashed),
    ("import ctypes; ctypes.string_at(0)", RunnerCrashed),
    ("__import__('to' + 'rch')", ForbiddenUse),
    ("import importlib; importlib.import_module('sci' + 'py')", ForbiddenUse),
])
def test_faults_in_a_call(runner, body, expected):
    """Does each way of ending or escaping a call become its own fault, and the judge go on?"""
    m, _ = runner(f"def mse_loss(input, target, reduction='mean'):\n    {body}\n").module()
    with pytest.raises(expected):
        m.mse_loss(np.ones(2), np.ones(2))


def test_a_forbidden_numpy_function_reached_at_run_time(runner):
    """Is np.pad, forbidden in conv.reflection_pad, caught by the runner's guard when the name is assembled at run time?"""
    source = """
        import numpy as np
        def reflection_pad1d(x, padding):
            return getattr(np, "p" + "ad")(x, ((0, 0), (0, 0), (padding, padding)), mode="reflect")
    """
    m, _ = runner(source, exercise="conv.reflection_pad", forbid=("numpy.pad",)).module()
    with pytest.raises(ForbiddenUse):
        m.reflection_pad1d(np.ones((1, 1, 4)), 2)


def test_a_hang_that_ignores_signals_is_killed_with_its_children(runner):
    """Is an endless loop that ignores SIGTERM and SIGINT stopped at the call limit, with the orphan it left?"""
    source = """
        import os, signal, time
        def orphan():
            pid = os.fork()
            if pid == 0:
                os.setsid()  # out of the runner's process group
                time.sleep(300)
                os._exit(0)
            return pid
        def mse_loss(input, target, reduction="mean"):
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            while True: pass  # one line: a two-line loop may be stopped on either line
    """
    r = runner(source)
    m, _ = r.module()
    orphan = m.orphan()
    started = time.monotonic()
    with pytest.raises(RunnerTimeout) as caught:
        m.mse_loss(np.ones(2), np.ones(2))
    assert time.monotonic() - started < FAST.call_seconds + 3
    assert caught.value.frames and caught.value.frames[-1][1] == 13  # the line it was stuck on
    if os.geteuid() == 0:  # the runner's pid namespace is ours; its processes are visible here as root
        assert not _alive(orphan)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as f:
            return "\nState:\tZ" not in f.read()
    except OSError:
        return False


def test_load_problems_are_said_once(runner):
    """Are a missing file, a statically forbidden import and an import-time error each a LoadError/ForbiddenError?"""
    with pytest.raises(ForbiddenError):
        runner("import torch\n").module()
    broken = runner("x = 1 / 0\n", exercise="layers.dropout")
    for _ in range(2):  # the same answer for every test, without a new runner each time
        with pytest.raises(LoadError, match="ZeroDivisionError"):
            broken.module()


def test_repeated_crashes_stop_the_exercise(runner):
    """After three crashes, are the remaining tests of the exercise not run at all?"""
    r = runner("import os\nos._exit(3)\n")
    for _ in range(3):
        with pytest.raises(RunnerCrashed):
            r.module()
    with pytest.raises(CrashedBefore):
        r.module()


def test_runner_is_not_root_and_sees_no_secrets(runner, tmp_path):
    """When the grader is root, does learner code run as another user, without network, the kit or other files?"""
    if os.geteuid() != 0:
        pytest.skip("the grader is not root here: there is no user to drop")
    kit_solution = Path(__file__).resolve().parents[2] / "solutions" / "losses" / "mse.py"
    secret = Path("/tmp") / f"nnlings-secret-{os.getpid()}-{time.monotonic_ns()}"
    secret.write_text("the grader's own file\n")
    source = f"""
        import os, socket
        def mse_loss(input, target, reduction="mean"):
            try:
                socket.create_connection(("1.1.1.1", 53), timeout=0.5)
                net = "network"
            except OSError:
                net = "no network"
            places = ({str(kit_solution)!r}, {str(tmp_path)!r}, {str(secret)!r}, "/etc/passwd", "/home", "/usr/bin")
            return (os.getuid(), net, [p for p in places if os.path.exists(p)])
    """
    try:
        m, _ = runner(source).module()
        uid, net, seen = m.mse_loss(1.0, 1.0)
    finally:
        secret.unlink()
    assert uid != 0 and net == "no network" and seen == []


def test_an_input_changed_in_place_is_seen_even_when_not_returned(runner):
    """Is a caller's array changed in place written back though the code returns only a number from it?"""
    m, _ = runner("def mse_loss(input, target, reduction='mean'):\n    input -= target\n    return float(input.sum())\n").module()
    x = np.ones(3)
    assert m.mse_loss(x, np.ones(3)) == 0.0
    assert np.array_equal(x, np.zeros(3))


def test_protections_are_read_from_outside(monkeypatch):
    """Does the probe see a runner left as the grader's user as such, and (as root) every protection hold?"""
    from grader.runner.protections import in_force

    monkeypatch.setenv("NNLINGS_RUNNER_AS_ROOT", "1")  # what a grader that may not switch users gets
    in_force.cache_clear()
    held = in_force()
    assert held["own_process"] and not held["own_user"] and not held["private_files"]
    if os.geteuid() == 0:
        monkeypatch.delenv("NNLINGS_RUNNER_AS_ROOT")
        in_force.cache_clear()
        assert all(in_force().values()), in_force()
    in_force.cache_clear()


# ---------------------------------------------------------------- functions passed to the learner's code

DECODER = """
import numpy as np

KEPT = []


def decode(step, h, n):
    tokens, token = [], 0
    for _ in range(n):
        logits, h = step(token, h)
        token = int(np.argmax(logits))
        tokens.append(token)
    return tokens


def keep(step):
    KEPT.append(step)
    return 0


def call_kept():
    return KEPT[0](0, np.zeros(2))


def catch(step):
    try:
        step(-1, np.zeros(2))
    except ValueError as err:
        return "caught: " + str(err)


class Spoof:
    shape, dtype = (2,), np.float64


def spoof(step):
    return step(0, Spoof())


def hammer(step):
    for _ in range(10**6):
        step(0, np.zeros(2))
"""


def step(token, h):
    """A judge-side step: logits favour token + 1; refuses a negative token."""
    if token < 0:
        raise ValueError("token must be at least 0")
    logits = np.zeros(5)
    logits[(token + 1) % 5] = 1.0
    return logits, h + 1


def test_a_function_passed_in_runs_on_the_judges_side(runner):
    """Does the learner's code call a judge's function as many times as it likes during the call, with arrays
    going both ways, and get the same answer as in process?"""
    m, _ = runner(DECODER, exercise="rnn.greedy_decode").module()
    assert m.decode(step, np.zeros(2), 7) == [1, 2, 3, 4, 0, 1, 2]


def test_an_error_in_the_judges_function_reaches_the_learners_code(runner):
    """Is a ValueError raised by the judge's function a ValueError the learner's code can catch?"""
    m, _ = runner(DECODER, exercise="rnn.greedy_decode").module()
    assert m.catch(step) == "caught: token must be at least 0"


def test_a_function_passed_in_takes_plain_values_only(runner):
    """Is an object that poses as an array refused in the learner's code, before anything reaches the judge?"""
    m, _ = runner(DECODER, exercise="rnn.greedy_decode").module()
    with pytest.raises(TypeError, match="plain values"):
        m.spoof(step)


def test_a_kept_function_cannot_be_called_after_its_call(runner):
    """Is a judge's function kept by the learner's code dead once the call it came with has returned?"""
    m, _ = runner(DECODER, exercise="rnn.greedy_decode").module()
    assert m.keep(step) == 0
    with pytest.raises(RuntimeError, match="call that has ended"):
        m.call_kept()


def test_a_million_callbacks_are_one_call_out_of_time(runner):
    """Does a call that calls back without end run out of its own call's time, not forever?"""
    m, _ = runner(DECODER, exercise="rnn.greedy_decode").module()
    with pytest.raises(RunnerTimeout):
        m.hammer(step)


def test_a_callback_cannot_call_into_the_runner(runner):
    """Is the judge's function refused if it tries to use the runner while the runner waits on it?"""
    m, _ = runner(DECODER, exercise="rnn.greedy_decode").module()

    def sneaky(token, h):
        return m.call_kept(), h

    with pytest.raises(TypeError, match="cannot itself call into the runner"):
        m.decode(sneaky, np.zeros(2), 1)
    assert m.decode(step, np.zeros(2), 2) == [1, 2]  # and the runner is still in step


# ---------------------------------------------------------------- operators and returned functions

SCALAR = """
    class Value:
        def __init__(self, data):
            self.data = float(data)
        def __add__(self, other):
            other = other if isinstance(other, Value) else Value(other)
            return Value(self.data + other.data)
        __radd__ = __add__
        def __mul__(self, other):
            other = other if isinstance(other, Value) else Value(other)
            return Value(self.data * other.data)
        def __sub__(self, other):
            other = other if isinstance(other, Value) else Value(other)
            return Value(self.data - other.data)
        def __pow__(self, n):
            return Value(self.data ** n)
        def __neg__(self):
            return Value(-self.data)
        def __iadd__(self, other):
            self.data += other
            return self
        def __truediv__(self, other):
            while True:
                pass

    def fit(x, scale=2.0):
        state = {"calls": 0}
        def predict(z):
            state["calls"] += 1
            return z * scale + state["calls"]
        return predict, [1.0, 0.5]
"""


def test_operators_on_the_learners_objects_run_in_the_runner(runner):
    """Do a + b, 3 + a, a ** 2, -a and a += 1 run the learner's methods (its reflected ones included) and
    come back as stand-ins, with a TypeError where in-process Python would raise one?"""
    m, _ = runner(SCALAR, exercise="autograd.value").module()
    a, b = m.Value(2.0), m.Value(-3.0)
    c = a * b + a ** 2  # -6 + 4
    assert c.data == -2.0 and (3 + a).data == 5.0 and (-a).data == -2.0 and (a - 0.5).data == 1.5
    assert (np.float64(4.0) + a).data == 6.0  # a NumPy scalar on the left defers to the learner's __radd__
    assert bool(a) is True  # as in-process, where the class has neither __bool__ nor __len__
    before = a
    a += 1
    assert a is before and a.data == 3.0  # the learner's __iadd__ works in place, as in-process
    with pytest.raises(TypeError):
        2 * a  # no __rmul__ in the learner's class: the same TypeError as in-process
    with pytest.raises(TypeError):
        1 - a
    with pytest.raises(RunnerTimeout):
        a / 2  # an operator that never returns is one call out of time


def test_a_returned_function_is_called_in_the_runner(runner):
    """Does a function the learner's code returns come back as a stand-in that runs there, keeping its state?"""
    m, _ = runner(SCALAR, exercise="autograd.train_loop").module()
    predict, losses = m.fit(np.zeros(1))
    assert losses == [1.0, 0.5]
    assert predict(np.array([1.0, 2.0])).tolist() == [3.0, 5.0]
    assert predict(np.array([0.0])).tolist() == [2.0]  # the closure's state lives on in the runner


# ---------------------------------------------------------------- the pool

def test_the_next_exercises_runner_is_started_ahead_and_nothing_outlives_the_pool(tmp_path):
    """Told the session's order, does the pool start the next runner while one runs, use it, and leave no process?"""
    for exercise, source in (("losses.mse", "def f():\n    return 1\n"), ("layers.dropout", "def f():\n    return 2\n")):
        module, name = exercise.split(".")
        (tmp_path / module).mkdir()
        (tmp_path / module / f"{name}.py").write_text(source, encoding="utf-8")
    pool = Pool(tmp_path, FAST)
    pool.expect(["losses.mse", "losses.mse", "layers.dropout"])
    try:
        first, session = pool.runner("losses.mse", ()).module()
        assert first.f() == 1 and len(pool.ahead) == 1  # the next one starts while this exercise runs, no more
        ahead = pool.ahead[0].take()
        pids = [session.process.proc.pid, ahead.proc.pid]
        second, session = pool.runner("layers.dropout", ()).module()
        assert second.f() == 2 and session.process is ahead and not pool.ahead  # the last: none ahead of it
    finally:
        pool.close()
    assert not any(_alive(pid) for pid in pids)


def test_what_a_test_left_in_the_runner_is_dropped_before_the_next_one(runner):
    """Is an object from one test gone from the runner once the next test sends its first request?"""
    source = """
        import gc, weakref
        seen = []
        class Box:
            def __init__(self):
                seen.append(weakref.ref(self))
        def alive():
            gc.collect()
            return sum(r() is not None for r in seen)
    """
    r = runner(source)
    m, session = r.module()
    box = m.Box()
    assert m.alive() == 1
    session.forget()
    del box
    m, _ = r.module()
    assert m.alive() == 0
