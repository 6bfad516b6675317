"""Loading learner code: missing files, syntax errors and forbidden libraries are reported, not crashed on."""

import pytest

from grader.loader import ForbiddenError, LoadError, find_forbidden, load_exercise


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
