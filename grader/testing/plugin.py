"""The pytest plugin: --impl, the impl/check/rng fixtures, `todo` as an outcome, messages that teach."""

from __future__ import annotations

import re
import zlib
from pathlib import Path

import numpy as np
import pytest

from grader.core import manifest as manifest_mod
from grader.core.i18n import t
from grader.core.loader import LoadError, load_exercise
from grader.core.paths import KitNotFound, exercise_file, id_from_test_file, kit_root
from grader.core.settings import SettingError, Settings, resolve
from grader.testing import absent, default_mutants
from grader.testing.check import Check
from grader.testing.diagnosis import Diagnoses, evidence_property
from grader.testing.failure import Context, ExerciseFailure, diagnosis_lines, render
from grader.testing.mistakes import catalogue
from grader.testing.outcome import classify, describe_error, timed_out, todo_reason
from grader.testing.questions import questions
from grader.testing.record import Recorder

SETTINGS = pytest.StashKey[Settings]()
ROOT = pytest.StashKey[Path]()
MANIFEST = pytest.StashKey[object]()
TIMED_OUT = pytest.StashKey[set]()
POOL = pytest.StashKey[object]()
MISSING = pytest.StashKey[dict]()
UNTOUCHED = pytest.StashKey[dict]()
EXERCISES = pytest.StashKey[list]()  # the exercises whose tests were collected
CAUGHT = pytest.StashKey[set]()


class EarlierTimeout(Exception):
    """An earlier check of this exercise ran out of time; the rest are not run."""


def pytest_addoption(parser):
    group = parser.getgroup("nnlings")
    group.addoption("--impl", default=None, metavar="exercises|solutions|PATH",
                    help="which tree the tests load code from (default: exercises; env NNLINGS_IMPL)")
    group.addoption("--nnlings-seed", default=None, metavar="N", help="base seed of the rng fixture (env NNLINGS_SEED)")
    group.addoption("--lang", default=None, metavar="en|zh", help="language of messages (env NNLINGS_LANG)")
    group.addoption("--nnlings-mistakes", action="store_true",
                    help="self-check: run every test once per catalogued mistake, on top of the solutions")
    group.addoption("--nnlings-default-mutants", action="store_true",
                    help="self-check: run every test once per automatic mutant of a default, on top of the solutions")
    group.addoption("--nnlings-run-stubs", action="store_true",
                    help="self-check: run the tests of a file that is still exactly its stub, instead of reporting "
                         "them todo unrun")
    group.addoption("--nnlings-until-caught", action="store_true",
                    help="self-check: stop running a mistake or mutant once a test has failed it (and named it, "
                         "for a catalogued mistake)")
    group.addoption("--nnlings-record", default=None, metavar="FILE", help="write every test result as JSON to FILE")
    group.addoption("--nnlings-hint", default=1, type=int, metavar="N",
                    help="which hint of the ladder failure messages show (default 1)")
    group.addoption("--nnlings-rerun", default="cli", choices=("cli", "notebook"),
                    help="how failure messages say to rerun a check: commands, or the notebook's check cell")
    group.addoption("--nnlings-isolate", action="store_true",
                    help="grading: import learner code only in a runner process of its own, under limits")
    parser.addini("nnlings_impl", "default tree for --impl", default=None)


def _active(config) -> bool:
    return SETTINGS in config.stash


def pytest_configure(config):
    try:
        root = kit_root(Path(str(config.rootpath)))
    except KitNotFound:
        return  # installed in an environment used for something else: stay out of the way
    try:
        settings = resolve(root, config.getoption("--impl"), config.getini("nnlings_impl"),
                           config.getoption("--nnlings-seed"), config.getoption("--lang"))
    except SettingError as err:
        raise pytest.UsageError(str(err)) from None
    if config.getoption("--nnlings-mistakes") or config.getoption("--nnlings-default-mutants"):
        settings = resolve(root, "solutions", None, settings.seed, settings.lang)
    config.stash[SETTINGS] = settings
    config.stash[ROOT] = root
    config.stash[TIMED_OUT] = set()
    config.stash[CAUGHT] = set()
    config.pluginmanager.register(TodoCounter(), "nnlings-todo")  # one per session, not per process
    if config.getoption("--nnlings-isolate"):
        from grader.runner.pool import Pool  # only grading pays for it

        config.stash[POOL] = Pool(settings.tree)
    if not hasattr(config, "workerinput"):  # under xdist the controller sees every report
        config.pluginmanager.register(Diagnoses(lambda exercise_id: catalogue(root, exercise_id)), "nnlings-diagnoses")
        record = config.getoption("--nnlings-record")
        if record:
            config.pluginmanager.register(Recorder(Path(record), root), "nnlings-recorder")


def pytest_unconfigure(config):
    if POOL in config.stash:
        config.stash[POOL].close()


def pytest_report_header(config):
    if not _active(config):
        return None
    s = config.stash[SETTINGS]
    return t("plugin.header", s.lang, impl=s.impl, source=s.impl_source, seed=s.seed, language=s.lang)


def _manifest(config) -> manifest_mod.Manifest:
    if MANIFEST not in config.stash:
        config.stash[MANIFEST] = manifest_mod.load(config.stash[ROOT])
    return config.stash[MANIFEST]


def read_ahead(config, exercise_id: str) -> None:
    """Read what the first check of `exercise_id` would: the manifest, the questions, the catalogue of mistakes
    (watch's standby does it before the learner saves)."""
    if not _active(config):
        return
    settings, root = config.stash[SETTINGS], config.stash[ROOT]
    _manifest(config)
    catalogue(root, exercise_id)
    questions(root, settings.lang)


@pytest.fixture(scope="session")
def nnlings_manifest(pytestconfig):
    return _manifest(pytestconfig)


@pytest.fixture
def exercise_id(request) -> str:
    exercise = id_from_test_file(request.config.stash[ROOT], Path(str(request.path)))
    if exercise is None:
        pytest.fail(f"{request.path} is not laid out as tests/<module>/test_<exercise>.py", pytrace=False)
    return exercise


@pytest.fixture
def nnlings_mistake():
    """The catalogued mistake under test in --nnlings-mistakes runs; None otherwise."""
    return None


@pytest.fixture
def impl(request, exercise_id, nnlings_manifest, nnlings_mistake):
    """The learner's module for this test file, from the selected tree. Tests never import it themselves."""
    settings = request.config.stash[SETTINGS]
    if exercise_id in request.config.stash[TIMED_OUT]:
        raise EarlierTimeout(exercise_id)
    entry = nnlings_manifest.find(exercise_id)
    forbid = entry.forbid if entry else ()
    if POOL in request.config.stash:
        module, session = request.config.stash[POOL].runner(exercise_id, forbid).module()
        yield module
        session.forget()
        return
    module = load_exercise(settings.tree, exercise_id, forbid)
    if nnlings_mistake is None:
        yield module
        return
    found = {m.key: m for m in _wrong_versions(request.config, exercise_id, module)}
    yield found[nnlings_mistake].namespace(base=module)


def _wrong_versions(config, exercise_id: str, module) -> tuple:
    """What --nnlings-mistakes (the catalogue) or --nnlings-default-mutants (automatic mutants) runs each test on."""
    if config.getoption("--nnlings-default-mutants"):
        entry = _manifest(config).find(exercise_id)
        return default_mutants.mutants(module, entry.functions if entry else ())
    return catalogue(config.stash[ROOT], exercise_id)


@pytest.fixture
def check(request, impl, exercise_id):
    """Runs learner code against the reference and explains a wrong answer."""
    return Check(impl, catalogue(request.config.stash[ROOT], exercise_id))


@pytest.fixture
def rng(request):
    """A generator seeded from the run's seed and this test's id: the same inputs every run."""
    seed = request.config.stash[SETTINGS].seed
    return np.random.default_rng([seed, zlib.crc32(request.node.nodeid.encode())])


def pytest_generate_tests(metafunc):
    config = metafunc.config
    wrong = config.getoption("--nnlings-mistakes") or config.getoption("--nnlings-default-mutants")
    if not _active(config) or not wrong or "nnlings_mistake" not in metafunc.fixturenames:
        return
    exercise = id_from_test_file(config.stash[ROOT], Path(str(metafunc.definition.path)))
    keys = []
    if exercise:
        entry = _manifest(config).find(exercise)
        # Only the mutants need the module: they come from its defaults; the catalogue is a file of its own.
        module = load_exercise(config.stash[SETTINGS].tree, exercise, entry.forbid if entry else ()) \
            if config.getoption("--nnlings-default-mutants") else None
        keys = [m.key for m in _wrong_versions(config, exercise, module)]
    metafunc.parametrize("nnlings_mistake", keys, ids=[f"mistake={k}" for k in keys])


def pytest_collection_modifyitems(session, config, items):
    if _active(config):
        config.stash[EXERCISES] = absent.exercises(items, config.stash[ROOT])


def _look_at_files(config) -> None:
    """Which exercise files are missing, and which are still exactly their stubs: looked at when the first test
    runs, not at collection, since watch collects ahead and the learner's save comes between."""
    if MISSING in config.stash:
        return
    settings, root, ids = config.stash[SETTINGS], config.stash[ROOT], config.stash.get(EXERCISES, [])
    config.stash[MISSING] = {e: _missing_body(e, settings, root) for e in absent.missing(ids, settings.tree)}
    run_them = settings.is_solutions or config.getoption("--nnlings-run-stubs")
    config.stash[UNTOUCHED] = {} if run_them else \
        {e: _untouched_reason(e, config) for e in absent.untouched(ids, root, settings.tree)}


def pytest_collection_finish(session):
    """Grading: the runners' pool learns the order of the exercises, to start each next runner ahead."""
    config = session.config
    if POOL in config.stash:
        config.stash[POOL].expect(absent.exercises(session.items, config.stash[ROOT]))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_protocol(item, nextitem):
    """Tests whose outcome is known are reported unrun: a wrong version the self-check has already caught (skipped),
    an exercise file still exactly its stub (todo), one that is missing (the error its fixture would raise)."""
    config = item.config
    if not _active(config):
        return None
    _look_at_files(config)
    if not (config.stash[MISSING] or config.stash[UNTOUCHED] or config.stash[CAUGHT]):
        return None
    settings, root = config.stash[SETTINGS], config.stash[ROOT]
    exercise = id_from_test_file(root, Path(str(item.path)))
    if (exercise, _learner(item)) in config.stash[CAUGHT]:
        absent.report_unrun(item, (str(item.path), 0, "caught by an earlier test"), "skipped", "skipped")
        return True
    if exercise in config.stash[UNTOUCHED]:
        reason = config.stash[UNTOUCHED][exercise]
        absent.report_unrun(item, (str(item.path), item.location[1] or 0, reason), "todo", "skipped", "call")
        return True
    if exercise not in config.stash[MISSING]:
        return None
    status, body = config.stash[MISSING][exercise]
    absent.report_unrun(item, render(body, _context(item, settings, root), settings.lang), status)
    return True


def _untouched_reason(exercise: str, config) -> str:
    """What every test of an exercise whose file is still its stub says."""
    settings, root = config.stash[SETTINGS], config.stash[ROOT]
    entry = _manifest(config).find(exercise)
    path = exercise_file(settings.tree, exercise)
    shown = path.relative_to(root) if path.is_relative_to(root) else path
    return t("failure.todo_untouched", settings.lang, path=shown, names=", ".join(entry.functions) if entry else "")


def _missing_body(exercise: str, settings: Settings, root: Path) -> tuple[str, str]:
    """The status and message body of every test of an exercise whose file is missing."""
    err = LoadError("missing", exercise_file(settings.tree, exercise), "file not found")
    return classify(err, solutions=settings.is_solutions), describe_error(err, settings.tree, root, settings.lang)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    ours = call.excinfo is not None and _active(item.config) and "impl" in getattr(item, "fixturenames", ())
    # pytest's own skip (an empty parameter set where a module has no mistakes) keeps its report.
    own_skip = ours and call.excinfo.errisinstance(pytest.skip.Exception)
    if ours:
        # The message is ours (below). Formatting pytest's own traceback, to be thrown away, would cost more
        # than most checks: a run over stubs or missing files does it for every test.
        call.excinfo.traceback = call.excinfo.traceback[-1:]  # a skip needs an entry to point at
        if not own_skip:
            item.repr_failure = _replaced  # a failing call's text: replaced below whatever it was
    report = yield
    if not ours or own_skip:
        return report
    config = item.config
    settings, root = config.stash[SETTINGS], config.stash[ROOT]
    err = call.excinfo.value
    clock_ran_out = _is_timeout(call.excinfo)  # pytest-timeout's clock (the runner's raises RunnerTimeout)
    status = "timeout" if clock_ran_out else classify(err, solutions=settings.is_solutions)
    if status == "timeout" and not isinstance(err, EarlierTimeout):
        # pytest-timeout's clock or the runner's: one endless loop would otherwise cost the limit once per case.
        config.stash[TIMED_OUT].add(id_from_test_file(root, Path(str(item.path))))
    report.user_properties.append(("nnlings_status", status))
    if status == "todo":
        report.outcome = "skipped"
        report.longrepr = (str(item.path), item.location[1] or 0, todo_reason(err, settings.tree, root, settings.lang))
        return report
    if isinstance(err, EarlierTimeout):
        body = t("failure.timeout_earlier", settings.lang)
    elif clock_ran_out:
        limit = re.search(r"Timeout \(>([\d.]+)s\)", str(err))  # the limit in force, wherever it was set
        body = timed_out(err, f"{float(limit[1]):g}" if limit else "?", settings.tree, root, settings.lang)
    else:
        body = describe_error(err, settings.tree, root, settings.lang, diagnosis=False)
    context = _context(item, settings, root)
    learner = _learner(item)
    if isinstance(err, ExerciseFailure):  # the diagnosis is settled over the whole run, at its end
        report.user_properties.append(evidence_property(err, context, body, settings.lang, context.exercise_id,
                                                        learner))
        if err.mistake is not None:  # until then, what this check alone suggests
            body += "\n" + "\n".join(diagnosis_lines(err.mistake, settings.lang))
    report.longrepr = render(body, context, settings.lang)
    if learner and status == "failed" and config.getoption("--nnlings-until-caught") and _caught(config, learner, err):
        config.stash[CAUGHT].add((context.exercise_id, learner))
    return report


def _replaced(excinfo) -> str:
    """Stands in for pytest's own text of a failure that the plugin's message replaces."""
    return ""


def _learner(item) -> str | None:
    """The catalogued mistake or default mutant a self-check case runs on; None for the tree's own code."""
    callspec = getattr(item, "callspec", None)
    return callspec.params.get("nnlings_mistake") if callspec else None


def _caught(config, learner: str, err: BaseException) -> bool:
    """A mutant is caught by any failure; a catalogued mistake only by a check that names it first (one that
    names another mistake first, as summing on a batch of one does for dividing by the batch size, needs the
    checks after it to settle which)."""
    if config.getoption("--nnlings-default-mutants"):
        return True
    named = err.evidence.named if isinstance(err, ExerciseFailure) else ()
    return bool(named) and named[0].key == learner


def _is_timeout(excinfo) -> bool:
    return excinfo.typename == "Failed" and str(excinfo.value).startswith("Timeout")


def _context(item, settings: Settings, root: Path) -> Context:
    exercise_id = id_from_test_file(root, Path(str(item.path))) or ""
    try:
        entry = _manifest(item.config).find(exercise_id)
    except manifest_mod.ManifestError:
        entry = None
    title = manifest_mod.text(entry.title, settings.lang) if entry else exercise_id
    hints = entry.hint_list(settings.lang) if entry else ()
    question = questions(root, settings.lang).get(f"{exercise_id}.{item.originalname}") or \
        " ".join((getattr(item.function, "__doc__", None) or "").split())
    flag = "" if settings.impl == "exercises" else f" --impl={settings.impl}"  # "=": a path never moves rootdir
    flag += f" --nnlings-seed={settings.seed}" if settings.seed else ""  # the same drawn shapes again
    rerun = (f"nnlings check {exercise_id}", f'pytest "{item.nodeid}"{flag}')
    if item.config.getoption("--nnlings-rerun") == "notebook":
        rerun = (f'nnlings_check("{exercise_id}")',)
    level = min(max(item.config.getoption("--nnlings-hint"), 1), len(hints)) if hints else 0
    return Context(exercise_id, title, question, hints[level - 1] if hints else "", rerun)


def _is_todo(report) -> bool:
    return report.when == "call" and ("nnlings_status", "todo") in getattr(report, "user_properties", ())


def pytest_report_teststatus(report, config):
    return ("todo", "T", "TODO") if _is_todo(report) else None


class TodoCounter:
    """Not started is not done: a session with todo tests and nothing else wrong still exits non-zero."""

    def __init__(self):
        self.count = 0

    def pytest_runtest_logreport(self, report):
        self.count += _is_todo(report)

    def pytest_sessionfinish(self, session, exitstatus):
        if exitstatus == 0 and self.count and not session.config.option.collectonly:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
