"""Notebook support: `%load_ext grader.learner.notebook` gives the `%%nnlings ID` cell magic and `nnlings_check(ID)`.

build.py writes a notebook per module, extract.py turns a notebook back into a tree laid out like
exercises/ for grading. Nothing here imports IPython until a kernel loads the extension.
"""


def load_ipython_extension(ip) -> None:
    """Called by `%load_ext grader.learner.notebook`: register the magics and put `nnlings_check` in the namespace."""
    from grader.learner.notebook.checker import nnlings_check
    from grader.learner.notebook.magic import register

    register(ip)
    ip.push({"nnlings_check": nnlings_check})
