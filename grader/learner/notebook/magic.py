"""The `%%nnlings ID` cell magic and the `%nnlings_lang CODE` line magic."""

from __future__ import annotations

from grader.core.i18n import t
from grader.learner.notebook import session


def remember(line: str, cell: str) -> None:
    """Keep `cell` as the learner's code for the exercise named on the magic's line."""
    words = line.split()
    if len(words) == 1:
        session.CODE[words[0]] = cell
    else:
        print(t("notebook.magic_usage", session.lang()))


def register(ip) -> None:
    """Register both magics on the IPython shell `ip`."""

    def nnlings(line: str, cell: str) -> None:
        """Remember this cell as the code of exercise ID, then run it so that its functions exist here too."""
        remember(line, cell)
        ip.run_cell(cell, store_history=False)  # errors show as in any cell; nnlings_check explains them

    def nnlings_lang(line: str) -> None:
        """Choose the language of the check messages in this notebook: en or zh."""
        session.set_lang(line.strip() or session.lang())

    ip.register_magic_function(nnlings, magic_kind="cell", magic_name="nnlings")
    ip.register_magic_function(nnlings_lang, magic_kind="line", magic_name="nnlings_lang")
