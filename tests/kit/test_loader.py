"""Loading learner code: missing files, syntax errors and forbidden libraries are reported, not crashed on."""

import pytest

from grader.core.loader import ForbiddenError, LoadError, find_forbidden, load_exercise


def write(tmp_path, source):
    (tmp_path / "m").mkdir(exist_ok=True)
    (tmp_path / "m" / "e.py").write_text(source)


def test_loads_a_module(tmp_path):
    """Does a plain NumPy module load and expose its functions?"""
    write(tmp_path, "import numpy as np\ndef f(x):\n    return np.asarray(x) * 2\n")
    assert load_exercise(tmp_path, "m.e").f(2) == 4


def test_missing(tmp_path):
    """Is a missing exercise file a LoadError of kind 'missing'?"""
    with pytest.raises(LoadError) as err:
        load_exercise(tmp_path, "m.e")
    assert err.value.kind == "missing"


def test_syntax_error_has_a_line(tmp_path):
    """Does a syntax error come back with its line number?"""
    write(tmp_path, "x = 1\ndef f(:\n")
    with pytest.raises(LoadError) as err:
        load_exercise(tmp_path, "m.e")
    assert err.value.line == 2


@pytest.mark.parametrize("source", ["import torch\n", "from scipy import special\n", "import sklearn.linear_model\n",
                                    "m = __import__('torch')\n"], ids=["torch", "scipy", "sklearn", "dunder-import"])
def test_forbidden_libraries(tmp_path, source):
    """Is using torch, scipy or sklearn in an exercise refused before it runs?"""
    write(tmp_path, source)
    with pytest.raises(ForbiddenError):
        load_exercise(tmp_path, "m.e")


def test_forbidden_numpy_shortcut():
    """Is a NumPy shortcut the exercise forbids found however it is spelled?"""
    forbid = ("numpy.broadcast_to",)
    assert find_forbidden("import numpy as np\nnp.broadcast_to(x, s)\n", forbid)
    assert find_forbidden("from numpy import broadcast_to\n", forbid)
    assert find_forbidden("getattr(np, 'broadcast_to')\n", forbid)
    assert not find_forbidden("np.broadcast_shapes_mine = 1\n", forbid)


def test_prose_mentioning_torch_is_allowed():
    """Is a docstring that mentions torch.softmax left alone, while a string naming the module is caught?"""
    assert not find_forbidden('"""Same as torch.softmax(x, dim=-1)."""\n')
    assert find_forbidden('import importlib\nimportlib.import_module("torch.nn")\n')


REFERENCE_BROADCASTING = "import numpy as np\n\ndef broadcast_to(x, shape):\n    return x\n\ndef broadcast_shapes(*s):\n    return s\n"
BROADCAST_FORBID = ("numpy.broadcast_to", "numpy.broadcast_arrays", "numpy.broadcast_shapes", "numpy.broadcast")


@pytest.mark.parametrize("source", [
    REFERENCE_BROADCASTING + '__all__ = ["broadcast_shapes", "broadcast_to", "unbroadcast"]\n',
    "import numpy as np\n__all__ = ['broadcast_arrays']\n\ndef broadcast_arrays(*args):\n    return list(args)\n",
    REFERENCE_BROADCASTING + 'TABLE = {"broadcast_to": 1}\nprint("see np.broadcast_to")\n',
], ids=["all-of-own-functions", "numpy-own-broadcast-arrays", "dict-key-and-prose"])
def test_strings_that_look_nothing_up_are_not_uses(source):
    """Are `__all__`, dict keys and prose naming a forbidden helper (or the file's own function) left alone?"""
    assert find_forbidden(source, BROADCAST_FORBID) == []


@pytest.mark.parametrize("source", [
    "import numpy as np\nf = getattr(np, 'broadcast_to')\n",
    "import numpy as np\nf = vars(np)['broadcast_shapes']\n",
    "import numpy as np\nf = np.__dict__.get('broadcast_arrays')\n",
    "import numpy as np\nname = 'broadcast_to'\nf = getattr(np, name)\n",
    "import numpy as np\nfor n in ['broadcast']:\n    c = getattr(np, n)\n",
    REFERENCE_BROADCASTING + "f = getattr(np, 'broadcast_to')\n",
    "import operator\nf = operator.attrgetter('broadcast_to')\n",
], ids=["getattr", "vars-subscript", "dict-get", "through-a-variable", "through-a-loop", "own-name-on-numpy",
        "attrgetter"])
def test_strings_that_reach_a_lookup_are_uses(source):
    """Is a string that reaches getattr, a subscript or attrgetter a use, even when the file has a function of that name?"""
    assert find_forbidden(source, BROADCAST_FORBID)


def test_a_forbidden_operator_is_found_with_its_spellings():
    """Is `@` found as an operator, in place, and as the dunder or operator.matmul that spell it without the symbol?"""
    forbid = ("numpy.matmul", "@")
    for source in ("c = a @ b\n", "a @= b\n", "c = a.__matmul__(b)\n", "c = b.__rmatmul__(a)\n",
                   "import operator\nc = operator.matmul(a, b)\n"):
        assert find_forbidden(source, forbid), source
    assert [u.name for u in find_forbidden("c = a @ b\n", forbid)] == ["@"]
    assert not find_forbidden("c = (a[..., :, :, None] * b[..., None, :, :]).sum(-2)\n", forbid)
    assert not find_forbidden("c = a @ b\n", ("numpy.matmul",))


def test_the_reference_with_all_loads(tmp_path, kit):
    """Does the broadcasting reference plus an `__all__` naming its own functions load, not forfeit?"""
    from grader.core import manifest
    forbid = manifest.load(kit).exercise("tensors.broadcasting").forbid
    source = (kit / "solutions" / "tensors" / "broadcasting.py").read_text(encoding="utf-8")
    (tmp_path / "tensors").mkdir()
    (tmp_path / "tensors" / "broadcasting.py").write_text(
        source + '\n__all__ = ["broadcast_shapes", "broadcast_to", "unbroadcast"]\n', encoding="utf-8")
    assert load_exercise(tmp_path, "tensors.broadcasting", forbid).__all__[1] == "broadcast_to"


def test_reflection_pad_forbids_np_pad(kit):
    """Is np.pad, the one call conv.reflection_pad asks the learner to replace, found however it is spelled,
    while the reference (which pads by index arithmetic) loads?"""
    from grader.core import manifest
    forbid = manifest.load(kit).exercise("conv.reflection_pad").forbid
    assert forbid == ("numpy.pad",)  # "numpy." so the runner's guard wires np.pad too (see grader/runner/guard.py)
    assert find_forbidden("import numpy as np\ny = np.pad(x, 1, mode='reflect')\n", forbid)
    assert find_forbidden("import numpy\ny = numpy.pad(x, 1)\n", forbid)
    assert find_forbidden("from numpy import pad\n", forbid)
    assert find_forbidden("import numpy as np\nf = getattr(np, 'pad')\n", forbid)
    assert not find_forbidden("def pad(x):\n    return x\npad_width = 2\n", forbid)
    # the learner's own things called pad: an attribute set or read on self, a key of a plain dict
    assert not find_forbidden("class P:\n    def __init__(self):\n        self.pad = 1\n    def f(self):\n"
                              "        return self.pad\n", forbid)
    assert not find_forbidden("sizes = {'pad': 1}\nv = sizes['pad']\n", forbid)
    assert load_exercise(kit / "solutions", "conv.reflection_pad", forbid).reflection_pad1d
