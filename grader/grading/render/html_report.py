"""The class report as one self-contained HTML page: no external assets, no JavaScript.

A heatmap (a row per student, a cell per exercise, coloured from red at no points to green at full points)
and a table of pass rates per exercise. A student whose grading broke gets a row that says so, never zeros.
Every cell carries data attributes (`data-student`, `data-exercise`, `data-score`, `data-possible`,
`data-status`) so that tools and tests can read the page back. All text that comes from a submission
(names, messages) is escaped.
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from grader import __version__
from grader.core.i18n import t
from grader.core.report import ExerciseResult, Report
from grader.grading.render import protections
from grader.grading.render.csv_report import exercise_columns, points

STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
h1 { font-size: 1.5em; margin-bottom: .2em; }
.meta, .note { color: #555; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: .3em .6em; text-align: center; }
thead th { background: #f4f4f4; font-weight: 600; }
thead th small { display: block; font-weight: normal; color: #666; }
tbody th, #pass-rates td:nth-child(2) { text-align: left; }
td.missing { background: #eee; color: #999; }
tr.broken td { background: #fff3cd; text-align: left; white-space: pre-wrap; }
td.total { font-weight: 600; }
"""


def colour(fraction: float) -> str:
    """Red (0) through yellow to green (1), light enough for dark text."""
    hue = round(120 * min(max(fraction, 0.0), 1.0))
    return f"hsl({hue}, 65%, 78%)"


def _attrs(**values) -> str:
    """` data-a="..." data-b="..."` from keyword arguments (underscores become hyphens), escaped."""
    return "".join(f' {k.replace("_", "-")}="{escape(str(v))}"' for k, v in values.items())


def _cell(student: str, exercise_id: str, ex: ExerciseResult | None, lang: str) -> str:
    if ex is None:
        return (f'<td class="cell missing"{_attrs(data_student=student, data_exercise=exercise_id, data_score="")}'
                f' title="{escape(t("batch.html_not_graded", lang))}">–</td>')
    fraction = ex.score / ex.possible if ex.possible else 0.0
    label = f"{t(f'status.{ex.status}', lang)} · {points(ex.score)}/{points(ex.possible)}"
    attrs = _attrs(data_student=student, data_exercise=ex.id, data_score=points(ex.score),
                   data_possible=points(ex.possible), data_status=ex.status)
    return f'<td class="cell"{attrs} title="{escape(label)}" style="background:{colour(fraction)}">{points(ex.score)}</td>'


def _student_row(student: str, report: Report, ids: list[str], lang: str) -> str:
    name = f'<th scope="row">{escape(student)}</th>'
    if report.error:
        message = escape(t("batch.html_broke", lang, detail=report.error))
        return (f'<tr class="broken"{_attrs(data_student=student, data_broken="true")}>{name}'
                f'<td colspan="{len(ids) + 1}">{message}</td></tr>')
    by_id = {ex.id: ex for ex in report.exercises}
    cells = "".join(_cell(student, i, by_id.get(i), lang) for i in ids)
    total = f'<td class="total">{points(report.score)}/{points(report.possible)}</td>'
    attrs = _attrs(data_student=student, data_score=points(report.score), data_possible=points(report.possible))
    return f"<tr{attrs}>{name}{total}{cells}</tr>"


def _exercise_info(rows: list[tuple[str, Report]]) -> dict[str, ExerciseResult]:
    """One result per exercise id (the first found), for its title and points."""
    found: dict[str, ExerciseResult] = {}
    for _, report in rows:
        for ex in report.exercises:
            found.setdefault(ex.id, ex)
    return found


def _heatmap(rows: list[tuple[str, Report]], ids: list[str], info: dict[str, ExerciseResult], lang: str) -> str:
    head = "".join(f'<th{_attrs(data_exercise=i)} title="{escape(info[i].title) if i in info else ""}">'
                   f'{escape(i).replace(".", ".<wbr>")}<small>/{points(info[i].possible) if i in info else "?"}</small></th>' for i in ids)
    body = "\n".join(_student_row(student, report, ids, lang) for student, report in rows)
    return (f'<table id="heatmap" class="heatmap"><thead><tr><th>{escape(t("batch.html_student", lang))}</th>'
            f'<th>{escape(t("batch.html_total", lang))}</th>{head}</tr></thead>\n<tbody>\n{body}\n</tbody></table>')


def _pass_rates(rows: list[tuple[str, Report]], ids: list[str], info: dict[str, ExerciseResult], lang: str) -> str:
    """Per exercise: the share of graded students with status passed, and the mean score."""
    lines = []
    for i in ids:
        results = [ex for _, report in rows if not report.error for ex in report.exercises if ex.id == i]
        passed = sum(ex.status == "passed" for ex in results)
        rate = passed / len(results) if results else 0.0
        mean = sum(ex.score for ex in results) / len(results) if results else 0.0
        possible = points(info[i].possible) if i in info else "?"
        attrs = _attrs(data_exercise=i, data_pass_rate=f"{rate:.4f}", data_mean_score=points(mean),
                       data_graded=len(results))
        lines.append(f'<tr{attrs}><th scope="row">{escape(i)}</th><td>{escape(info[i].title if i in info else "")}</td>'
                     f'<td>{passed}/{len(results)} ({rate:.0%})</td><td>{mean:.1f}/{possible}</td></tr>')
    head = "".join(f"<th>{escape(t(key, lang))}</th>" for key in
                   ("batch.html_exercise", "batch.html_title_column", "batch.html_passed", "batch.html_mean"))
    return (f'<table id="pass-rates"><thead><tr>{head}</tr></thead>\n<tbody>\n' + "\n".join(lines)
            + "\n</tbody></table>")


def render(rows: list[tuple[str, Report]], *, seed: int, lang: str = "en", exercise_ids: list[str] | None = None,
           generated: datetime | None = None) -> str:
    """The page for (student, report) pairs, in the order given, graded with `seed`."""
    ids = exercise_ids if exercise_ids is not None else exercise_columns(rows)
    info = _exercise_info(rows)
    when = (generated or datetime.now().astimezone()).strftime("%Y-%m-%d %H:%M %Z").strip()
    graded = [r for _, r in rows if not r.error]
    versions = graded[0] if graded else (rows[0][1] if rows else None)
    title = escape(t("batch.html_title", lang))
    meta = escape(t("batch.html_meta", lang, date=when, seed=seed, version=__version__,
                    torch=versions.torch if versions else "?", numpy=versions.numpy if versions else "?"))
    summary = escape(t("batch.html_summary", lang, students=len(rows), graded=len(graded),
                       broken=len(rows) - len(graded)))
    held = next((r.protections for r in graded if r.protections), None)
    caution = protections.warning(held, lang)
    caution_html = f'<p class="note" id="protections">{escape(caution)}</p>\n' if caution else ""
    return f"""<!DOCTYPE html>
<html lang="{'zh-CN' if lang == 'zh' else 'en'}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title><style>{STYLE}</style></head>
<body>
<h1>{title}</h1>
<p class="meta"{_attrs(data_seed=seed, data_kit_version=__version__)}>{meta}</p>
<p class="note">{summary}</p>
{caution_html}<h2>{escape(t("batch.html_scores", lang))}</h2>
{_heatmap(rows, ids, info, lang)}
<h2>{escape(t("batch.html_rates", lang))}</h2>
{_pass_rates(rows, ids, info, lang)}
<p class="note">{escape(t("batch.html_legend", lang))}</p>
</body>
</html>
"""
