"""The one result model behind every rendering (terminal, JSON, Gradescope, ...)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

SCHEMA = "nnlings-report/1"
EXERCISE_STATUSES = ("passed", "partial", "failed", "todo", "error", "blocked", "forbidden", "timeout", "crashed",
                     "invalid_output")


@dataclass
class TestResult:
    name: str
    """Test function name, as listed in the manifest."""
    status: str
    """passed | failed | todo | error | forbidden | timeout | crashed | invalid_output | skipped | missing (listed but
    never ran)."""
    weight: float
    """Its weight in the manifest."""
    score: float
    """Points earned: the exercise's points times weight share times the fraction of cases passed."""
    possible: float
    """Points this test can earn."""
    passed: int
    """Cases (parametrizations) that passed."""
    total: int
    """Cases that ran."""
    message: str = ""
    """The failure message of the first case that did not pass; empty when all passed."""


@dataclass
class ExerciseResult:
    id: str
    """'module.name'."""
    module: str
    """The module id."""
    title: str
    """Title in the report's language."""
    status: str
    """One of EXERCISE_STATUSES."""
    score: float
    """Points earned."""
    possible: float
    """The exercise's points."""
    tests: list[TestResult] = field(default_factory=list)
    """One entry per test listed in the manifest."""


@dataclass
class ModuleResult:
    id: str
    score: float
    possible: float


@dataclass
class Report:
    kit_version: str
    """The nnlings version that graded."""
    seed: int
    """The seed the inputs were drawn from."""
    torch: str
    """torch version of the reference side."""
    numpy: str
    """numpy version."""
    submission: str
    """What was graded (a path)."""
    score: float = 0.0
    possible: float = 0.0
    modules: list[ModuleResult] = field(default_factory=list)
    exercises: list[ExerciseResult] = field(default_factory=list)
    error: str | None = None
    """Set when grading itself broke: then the scores mean nothing and must not be shown as zero."""
    protections: dict[str, bool] | None = None
    """For grading runs: which of the runner's protections held (grader/runner/protections.py); None otherwise."""
    schema: str = SCHEMA

    def to_dict(self) -> dict:
        data = asdict(self)
        if self.error:
            data["score"] = None  # a run that broke has no score, and a zero would blame the learner
        return {"schema": data.pop("schema"), **data}

    @property
    def all_passed(self) -> bool:
        return self.error is None and all(ex.status == "passed" for ex in self.exercises)
