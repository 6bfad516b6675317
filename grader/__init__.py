"""nnlings: the grader behind the `nnlings` command and the pytest plugin."""

__version__ = "0.1.0"
