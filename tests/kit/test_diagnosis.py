"""A diagnosis is named only when it explains every failing check of its functions in the run."""

import shutil
import subprocess
import sys

import numpy as np

from grader.core.run import run_tests
from grader.testing.diagnosis import Failed, settle
from grader.testing.explain import evidence, outcomes, rerun
from grader.testing.mistakes import mistake

NAMES = {"summed": ("mse_loss",), "batch_mean": ("mse_loss",), "no_2": ("mse_loss_backward",)}


def failed(nodeid, call, named=(), alike=None, learner=("losses.mse", None)):
    return Failed(nodeid, learner, call, tuple(named), frozenset(named if alike is None else alike))


def names(exercise, key):
    return NAMES[key]


def test_named_when_it_explains_every_failing_check_of_its_function():
    # On a batch of one, dividing by the batch size and summing agree; the 4x3 check tells them apart.
    one = failed("t[batch1]", "mse_loss(input, target)", ["summed", "batch_mean"])
    other = failed("t[4x3]", "mse_loss(input, target)", ["batch_mean"])
    verdicts = settle([one, other], names)
    assert verdicts["t[batch1]"].key == "batch_mean" and not verdicts["t[batch1]"].missed
    assert verdicts["t[4x3]"].key == "batch_mean" and not verdicts["t[4x3]"].missed


def test_a_partial_match_says_where_it_does_not_match():
    one = failed("t[batch1]", "mse_loss(input, target)", ["summed"])
    other = failed("t[4x3]", "mse_loss(input, target)")
    verdict = settle([one, other], names)["t[batch1]"]
    assert verdict.key == "summed" and verdict.missed == ("t[4x3]",) and verdict.relevant == 2


def test_other_functions_and_other_learners_do_not_count():
    one = failed("t[batch1]", "mse_loss(input, target)", ["summed"])
    backward = failed("b[4x3]", "mse_loss_backward(input, target)")  # another function's failure
    mutant = failed("t[4x3][mistake=rmse]", "mse_loss(input, target)", learner=("losses.mse", "rmse"))
    verdict = settle([one, backward, mutant], names)["t[batch1]"]
    assert verdict.key == "summed" and not verdict.missed


def test_a_check_that_ended_in_an_error_does_not_count():
    # An IndexError on a 0-d input says nothing about which formula the code computes elsewhere.
    one = failed("t[4x3]", "mse_loss(input, target)", ["batch_mean"])
    scalar = Failed("t[scalar]", ("losses.mse", None), "mse_loss(input, target)", (), frozenset(), weighs=False)
    verdict = settle([one, scalar], names)["t[4x3]"]
    assert not verdict.missed and verdict.relevant == 1


def test_a_check_that_cannot_judge_a_mistake_does_not_count_against_it():
    # The round trip calls im2col, which a col2im mistake does not replace; an unseeded check differs each run.
    one = failed("t[4x3]", "mse_loss(input, target)", ["summed"])
    trip = Failed("t[trip]", ("losses.mse", None), "mse_loss(input, target)", (), frozenset(), unable=frozenset({"summed"}))
    asked = []
    drawn = Failed("t[drawn]", ("losses.mse", None), "mse_loss(input, target)", (), frozenset(),
                   unsteady=lambda key: asked.append(key) or True)
    verdict = settle([one, trip, drawn], names)["t[4x3]"]
    assert not verdict.missed and verdict.relevant == 1 and asked == ["summed"]


def test_a_check_that_can_judge_a_mistake_still_counts():
    one = failed("t[4x3]", "mse_loss(input, target)", ["summed"])
    steady = Failed("t[1x1]", ("losses.mse", None), "mse_loss(input, target)", (), frozenset(),
                    unsteady=lambda key: False)
    assert settle([one, steady], names)["t[4x3]"].missed == ("t[1x1]",)


HINTS = {"en": "x", "zh": "x"}
ALONE = mistake("alone", title=HINTS, why=HINTS, col2im=lambda x: x + 1)
DRAWS = mistake("draws", title=HINTS, why=HINTS, col2im=lambda x: x + np.random.default_rng().random())
FIXED = mistake("fixed", title=HINTS, why=HINTS, col2im=lambda x: x * 2)


def test_evidence_tells_which_mistakes_cannot_be_judged():
    x = np.arange(3.0)
    found = outcomes((ALONE, DRAWS, FIXED), lambda m: m.col2im(m.im2col(x)), {"x": x})
    seen = evidence(found, lambda o: False)
    assert seen.unable == ("alone", "draws", "fixed") and seen.unsteady is None  # none returned: none to run again

    found = outcomes((ALONE, DRAWS, FIXED), lambda m: m.col2im(x), {"x": x})
    same = lambda a, b: np.allclose(a, b)  # noqa: E731
    seen = evidence(found, lambda o: same(o.value, x + 1), rerun=rerun(lambda m: m.col2im(x), {"x": x}, same))
    assert seen.alike == ("alone",) and seen.unable == ()
    assert seen.unsteady("draws") and not seen.unsteady("fixed") and not seen.unsteady("alone")


def test_a_mistake_that_one_round_trip_check_cannot_run_is_named_on_the_others(kit):
    """col2im assigning instead of adding cannot run col2im(im2col(x)) alone: it is named, never "Perhaps"."""
    out = subprocess.run([sys.executable, "-m", "pytest", "tests/conv/test_conv2d_im2col.py", "--impl", "solutions",
                          "--nnlings-mistakes", "-k", "fold_assigns", "-q", "-p", "no:cacheprovider", "--lang", "en"],
                         cwd=kit, capture_output=True, text=True).stdout
    assert out.count("Diagnosis: this is exactly what col2im assigning each window's entries") >= 10
    assert "Perhaps" not in out


def messages(root, impl):
    cases = run_tests(root, ["losses.mse"], str(impl)).cases
    return {c["test"] + "[" + c["params"] + "]": c["message"] for c in cases if c["status"] == "failed"}


def learner_tree(kit, tmp_path, old, new):
    tree = tmp_path / "learner"
    shutil.copytree(kit / "solutions", tree)
    path = tree / "losses" / "mse.py"
    source = path.read_text(encoding="utf-8")
    assert old in source
    path.write_text(source.replace(old, new), encoding="utf-8")
    return tree


MEAN = "        return squared.mean()  # ()"


def test_dividing_by_the_batch_size_is_not_called_summing(kit, tmp_path):
    """The report that started it: on a batch of one this answer equals the sum, and was called "summed"."""
    tree = learner_tree(kit, tmp_path, MEAN, "        return squared.sum() / input.shape[0]")
    found = messages(kit, tree)
    batch1 = found["test_mse_loss[batch1-default-float64]"]
    assert "Diagnosis: this is exactly what the sum divided by the batch size only gives." in batch1
    assert not any("summed instead of averaged" in m for m in found.values())


def test_a_mistake_that_explains_only_some_checks_is_offered_as_a_possibility(kit, tmp_path):
    # Summed for "mean", and a wrong "sum" besides: summing explains the "mean" checks only.
    tree = learner_tree(kit, tmp_path, MEAN, "        return squared.sum()\n    if reduction == 'sum':\n"
                                             "        return squared.mean()")
    message = messages(kit, tree)["test_mse_loss[4x3-default-float64]"]
    assert "Diagnosis:" not in message
    assert "Perhaps the squared errors summed instead of averaged" in message
    assert "but not on test_mse_loss[batch1-sum-float64]" in message
