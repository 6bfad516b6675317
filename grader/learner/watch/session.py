"""The watch loop's state: which exercise is current, the hint reached, and what each event does."""

from __future__ import annotations

import time

from grader.core.context import Context
from grader.core.i18n import t
from grader.core.manifest import Exercise
from grader.core.run import RunBroke
from grader.core.score import score_exercise
from grader.learner import state
from grader.learner.terminal import exercise_line, paint, use_colour
from grader.learner.verdict import show
from grader.learner.watch.screen import clear, header, keys_line

ATTEMPT_STATUSES = ("failed", "partial", "error")


class WatchSession:
    def __init__(self, ctx: Context, checker, tty: bool, single_keys: bool):
        self.ctx, self.checker, self.tty, self.single_keys = ctx, checker, tty, single_keys
        self.colour = use_colour(ctx.out)
        self.current: Exercise | None = None
        self.banner: str | None = None  # shown atop the next screen: the exercise just passed

    def begin(self) -> None:
        """Start at the first exercise not known to pass, checking uncached ones on the way."""
        data = state.load(self.ctx.root)
        for ex in self.ctx.manifest.exercises:
            cached = state.cached_status(self.ctx.root, data, ex.id)
            if cached == "passed" or (cached is None and self._run(ex).status == "passed"):
                continue
            self.current = ex
            self.refresh()
            return
        self.current = None
        self.ctx.say(t("cli.all_done", self.ctx.lang))

    def on_saved(self, path) -> None:
        if self.current and path == self._file(self.current):
            self.refresh()

    def on_key(self, key: str) -> bool:
        """Handle one key; False means quit."""
        if key == "q":
            return False
        if key == "n" and self.current:
            self._move_on()
        elif key == "h" and self.current:
            self._next_hint()
        elif key == "l":
            self._list()
        elif key == "r" and self.current:
            self.refresh()
        return True

    def refresh(self) -> None:
        """Check the current exercise and show its header and verdict; move on when it passes."""
        ex = self.current
        started = time.perf_counter()
        result = self._run(ex)
        self._show(ex, result, time.perf_counter() - started)
        if result.status == "passed":
            self.banner = t("watch.passed", self.ctx.lang, id=ex.id)
            self._move_on(announce=True)
        else:
            self.checker.prepare(ex.id)  # ready for the next save

    def _run(self, ex: Exercise):
        try:
            cases = self.checker.check(ex.id, hint=self._hint_level(ex))
        except RunBroke as err:
            self.ctx.say(t("cli.test_run_broke", self.ctx.lang, detail=err))
            cases = []
        result = score_exercise(ex, cases, self.ctx.lang)
        self._remember(result)
        return result

    def _show(self, ex: Exercise, result, seconds: float) -> None:
        say = self.ctx.say
        say(clear(self.tty))
        if self.banner:
            say(paint(self.banner, "32", self.colour))
            say()
            self.banner = None
        for line in header(self.ctx, ex, self.colour, intro=result.status == "todo"):
            say(line)
        say()
        show(self.ctx, result, todo_key="watch.todo", failures=1)
        say(t("watch.checked", self.ctx.lang, seconds=f"{seconds:.2f}"))
        say(keys_line(self.ctx.lang, self.single_keys))
        self.ctx.out.flush()

    def _move_on(self, announce: bool = False) -> None:
        ids = [e.id for e in self.ctx.manifest.exercises]
        following = ids.index(self.current.id) + 1
        if following >= len(ids):
            self.current = None
            self.ctx.say(t("cli.all_done", self.ctx.lang))
            return
        self.current = self.ctx.manifest.exercises[following]
        if announce:
            self.ctx.say(t("watch.moving_on", self.ctx.lang, id=self.current.id))
            self.ctx.out.flush()
        self.checker.prepare(self.current.id)
        self.refresh()

    def _next_hint(self) -> None:
        hints = self.current.hint_list(self.ctx.lang)
        data = state.load(self.ctx.root)
        level = min(int(data["hints"].get(self.current.id, 0)) + 1, len(hints))
        data["hints"][self.current.id] = level
        state.save(self.ctx.root, data)
        self.ctx.say()
        self.ctx.say(t("cli.hint_header", self.ctx.lang, n=level, total=len(hints), id=self.current.id))
        self.ctx.say("  " + hints[level - 1])
        self.ctx.out.flush()

    def _hint_level(self, ex: Exercise) -> int:
        return max(1, int(state.load(self.ctx.root)["hints"].get(ex.id, 0)))

    def _list(self) -> None:
        data = state.load(self.ctx.root)
        self.ctx.say()
        for ex in self.ctx.manifest.exercises:
            self.ctx.say("  " + exercise_line(ex, state.cached_status(self.ctx.root, data, ex.id), self.ctx.lang,
                                              self.colour))
        self.ctx.out.flush()

    def _remember(self, result) -> None:
        state.remember(self.ctx.root, [result])
        if result.status in ATTEMPT_STATUSES:
            state.count_attempt(self.ctx.root, result.id)

    def _file(self, ex: Exercise):
        from grader.core.paths import exercise_file

        return exercise_file(self.ctx.root / "exercises", ex.id).resolve()
