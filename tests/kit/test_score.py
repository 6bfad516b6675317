"""Scoring from the manifest: only listed tests count, and only what positively passed."""

from grader.core.manifest import Exercise
from grader.core.score import score_exercise

EX = Exercise(id="m.e", title={"en": "E"}, points=10, functions=("f",), tests={"test_a": 3, "test_b": 1})


def case(test, status, params="p"):
    return {"exercise": "m.e", "test": test, "status": status, "params": params, "message": status}


def test_full_marks():
    """Do all listed tests passing give all the points?"""
    r = score_exercise(EX, [case("test_a", "passed"), case("test_b", "passed")])
    assert (r.status, r.score) == ("passed", 10)


def test_partial_credit_by_weight_and_cases():
    """Does a test earn its weight share times the fraction of its cases that passed?"""
    r = score_exercise(EX, [case("test_a", "passed", "1"), case("test_a", "failed", "2"), case("test_b", "failed")])
    assert r.status == "partial" and r.score == 3.75


def test_missing_and_skipped_earn_nothing():
    """Does a listed test that never ran, or was skipped, earn zero?"""
    r = score_exercise(EX, [case("test_a", "skipped")])
    assert r.score == 0 and [t.status for t in r.tests] == ["skipped", "missing"]
    assert r.status == "failed"


def test_unlisted_tests_earn_nothing():
    """Does a test the manifest does not list add nothing?"""
    r = score_exercise(EX, [case("test_extra", "passed")])
    assert r.score == 0


def test_todo_and_forbidden():
    """Is an untouched stub 'todo', and does a forbidden use override everything?"""
    assert score_exercise(EX, [case("test_a", "todo"), case("test_b", "todo")]).status == "todo"
    r = score_exercise(EX, [case("test_a", "passed"), case("test_b", "forbidden")])
    assert r.status == "forbidden"


def test_no_test_scores_below_zero():
    """Does rounding never leave a test that earned nothing with a negative score (or a positive one)?"""
    ex = Exercise(id="m.e", title={"en": "E"}, points=10, functions=("f",),
                  tests={"test_a": 1, "test_b": 1, "test_c": 1})
    cases = [case("test_a", "passed", str(i)) for i in range(3)] + \
        [case("test_b", "passed", "1"), case("test_b", "failed", "2"), case("test_b", "passed", "3"),
         case("test_c", "failed")]
    r = score_exercise(ex, cases)
    assert [t.score for t in r.tests][2] == 0.0
    assert all(t.score >= 0 for t in r.tests)
    assert round(sum(t.score for t in r.tests), 4) == r.score
    assert round(sum(t.possible for t in r.tests), 4) == 10


def test_a_failed_test_shows_a_failure_not_a_todo():
    """Does a test whose cases are partly todo and partly failed carry the failure's message?"""
    r = score_exercise(EX, [case("test_a", "todo", "1"), case("test_a", "failed", "2"), case("test_b", "todo")])
    a = r.tests[0]
    assert (a.status, a.message) == ("failed", "failed")
