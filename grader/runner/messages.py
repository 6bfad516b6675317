"""The sentence a learner reads when the runner ended a check: crash, timeout, forbidden use, invalid output."""

from __future__ import annotations

from grader.core.i18n import t
from grader.runner.errors import CrashedBefore, ForbiddenUse, InvalidOutput, RunnerFault, RunnerTimeout

OUTPUT_LINES = 12


def runner_fault(err: RunnerFault, lang: str) -> str:
    if isinstance(err, RunnerTimeout):
        key = "runner.timeout_exercise" if err.detail == "exercise" else "runner.timeout_call"
        body = t(key, lang, seconds=f"{err.seconds:g}")
    elif isinstance(err, ForbiddenUse):
        body = t("runner.forbidden", lang, names=", ".join(err.names))
    elif isinstance(err, InvalidOutput):
        body = t("runner.invalid_output", lang, what=err.detail)
    elif isinstance(err, CrashedBefore):
        body = t("runner.crashed_again", lang, count=err.count)
    else:
        body = t("runner.crashed", lang, detail=err.detail)
    printed = err.output.strip().splitlines()[-OUTPUT_LINES:]
    if printed:
        body += "\n" + t("runner.output", lang) + "\n" + "\n".join("    " + line[:200] for line in printed)
    return body
