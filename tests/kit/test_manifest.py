"""The manifest: eleven modules in order, the ten core exercises, and clear errors when it is broken."""

from pathlib import Path

import pytest

from grader.core import manifest

ROOT = Path(__file__).resolve().parents[2]
MODULES = ["tensors", "activations", "losses", "layers", "conv", "norm", "rnn", "attention", "optim",
           "autograd", "architectures"]
CORE = {"tensors.broadcasting", "activations.softmax", "conv.conv2d_loops", "norm.batchnorm", "rnn.lstm",
        "attention.positional_encoding", "attention.causal_mask", "optim.adam", "losses.mse", "layers.dropout"}


def test_modules_in_learning_order():
    """Does the manifest declare all eleven modules of the curriculum, in order?"""
    assert [m.id for m in manifest.load(ROOT).modules] == MODULES


def test_core_exercises():
    """Are the ten core exercises present and marked core?"""
    found = {e.id for e in manifest.load(ROOT).exercises if e.core}
    assert found == CORE


def test_exercises_follow_module_order():
    """Are exercises listed in the order of their modules?"""
    order = [MODULES.index(e.module) for e in manifest.load(ROOT).exercises]
    assert order == sorted(order)


@pytest.mark.parametrize("text, complaint", [
    ("[[exercise", "not valid TOML"),
    ('[[module]]\nid = "m"\ntitle = "M"\n[[exercise]]\nid = "x.y"\ntitle = "T"\npoints = 1\nfunctions = []\n',
     "module 'x'"),
    ('[[module]]\nid = "m"\ntitle = "M"\n[[exercise]]\nid = "m.y"\npoints = 1\nfunctions = []\n', "no 'title'"),
    ('[[module]]\nid = "m"\ntitle = "M"\n[[exercise]]\nid = "nodot"\ntitle = "T"\npoints = 1\nfunctions = []\n',
     "module.exercise"),
], ids=["not-toml", "unknown-module", "no-title", "bad-id"])
def test_broken_manifest_is_explained(tmp_path, text, complaint):
    """Does a broken manifest give one sentence naming the problem?"""
    (tmp_path / "curriculum.toml").write_text(text)
    with pytest.raises(manifest.ManifestError, match=complaint):
        manifest.load(tmp_path)
