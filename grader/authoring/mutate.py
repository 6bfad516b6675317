"""Mutants of a solution file for `nnlings dev mutate`: one small edit inside its solution markers each.

The operators are the classic ones: `+`/`-` and `*`/`/` swapped (also in `+=` and the like), `<`/`<=`, `>`/`>=`
and `==`/`!=` swapped, a numeric constant nudged (0 to 1, 1 to 0 and to 2, another int n to n + 1, a float
doubled, 0.0 to 0.5), an `axis=`/`dim=` value moved (-1 to 0, anything else to -1), `keepdims=` flipped,
`and`/`or` swapped, a unary minus removed, and an assignment or expression statement replaced by `pass`.

Each edit is made on the text, at the positions the ast gives, so a mutant differs from the solution by that
one change and keeps its comments and layout (its diff is short). Only nodes lying wholly between a
`# BEGIN SOLUTION` line and its `# END SOLUTION` line are touched, and nothing inside a `raise` or an f-string:
there an edit only rewords a message. Mutants that do not compile, or repeat an earlier mutant, are dropped.

A mutant's key is "<function>:<operator>:<n>": the qualified name of the function it is in (`Class.method`),
the operator's name (arith, compare, const, axis, keepdims, bool, neg, drop), and n, which counts that
operator's candidate edits within that function in source order, from 1, before any is dropped. The key is the
same on every run while the function is unchanged; editing the function can renumber its later sites, so a key
listed as equivalent that a test kills, or that names no mutant, is reported as stale.
"""

from __future__ import annotations

import ast
import bisect
import io
import itertools
import tokenize
from collections import Counter
from dataclasses import dataclass

from grader.core.sync import BEGIN, END

Pos = tuple[int, int]  # (line from 1, column in characters)

SWAPS = {ast.Add: "-", ast.Sub: "+", ast.Mult: "/", ast.Div: "*",
         ast.Lt: "<=", ast.LtE: "<", ast.Gt: ">=", ast.GtE: ">", ast.Eq: "!=", ast.NotEq: "=="}
SYMBOLS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/",
           ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!="}
AXIS_KEYWORDS = ("axis", "dim")
DROPPED = (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Expr)
MODULE_LEVEL = "<module>"


@dataclass(frozen=True)
class Edit:
    start: Pos
    end: Pos
    text: str


@dataclass(frozen=True)
class Mutant:
    key: str
    line: int
    """The first line the edit changes."""
    source: str
    """The whole mutated file."""


def solution_lines(source: str) -> set[int]:
    """Line numbers strictly between a BEGIN SOLUTION line and the END SOLUTION line after it."""
    inside, open_ = set(), False
    for number, line in enumerate(source.split("\n"), start=1):
        if BEGIN.match(line):
            open_ = True
        elif END.match(line):
            open_ = False
        elif open_:
            inside.add(number)
    return inside


def mutants(source: str, filename: str = "<solution>") -> list[Mutant]:
    """Every compiling, distinct mutant of `source`, in source order."""
    text = Text(source)
    found, seen = [], {source}
    for key, edits in _candidates(source, text):
        mutated = text.apply(edits)
        if mutated in seen or not compiles(mutated, filename):
            continue
        seen.add(mutated)
        found.append(Mutant(key, min(e.start[0] for e in edits), mutated))
    return found


def _candidates(source: str, text: Text) -> list[tuple[str, list[Edit]]]:
    """(key, edits) for every site of every operator inside the markers, keys numbered in source order."""
    inside = solution_lines(source)
    sites = []
    for function, node in _nodes(ast.parse(source)):
        if _lines(node) <= inside:
            sites += [(edits[0].start, function, operator, edits) for operator, edits in _edits(node, text)]
    numbered, counts = [], Counter()
    for _, function, operator, edits in sorted(sites, key=lambda s: s[0]):  # stable: ties keep operator order
        counts[function, operator] += 1
        numbered.append((f"{function}:{operator}:{counts[function, operator]}", edits))
    return numbered


def compiles(source: str, filename: str) -> bool:
    try:
        compile(source, filename, "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return False
    return True


def _nodes(tree: ast.AST):
    """(qualified name of the enclosing function or class, node) for every node outside a raise and an f-string."""
    def walk(node: ast.AST, scope: tuple[str, ...]):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.Raise, ast.JoinedStr)):
                continue
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                yield from walk(child, (*scope, child.name))
                continue
            yield ".".join(scope) or MODULE_LEVEL, child
            yield from walk(child, scope)
    return walk(tree, ())


def _lines(node: ast.AST) -> set[int]:
    if not hasattr(node, "lineno"):
        return {0}  # operators and contexts have no place of their own; their parent node is edited
    return set(range(node.lineno, node.end_lineno + 1))


def _edits(node: ast.AST, text: Text):
    """(operator, edits) for each mutant this one node offers."""
    if isinstance(node, (ast.BinOp, ast.AugAssign)) and type(node.op) in SWAPS:
        left, right = (node.left, node.right) if isinstance(node, ast.BinOp) else (node.target, node.value)
        suffix = "" if isinstance(node, ast.BinOp) else "="
        token = text.token_between(left, right, SYMBOLS[type(node.op)] + suffix)
        if token:
            yield "arith", [Edit(*token, SWAPS[type(node.op)] + suffix)]
    elif isinstance(node, ast.Compare):
        for op, left, right in zip(node.ops, [node.left, *node.comparators], node.comparators):
            token = type(op) in SWAPS and text.token_between(left, right, SYMBOLS[type(op)])
            if token:
                yield "compare", [Edit(*token, SWAPS[type(op)])]
    elif isinstance(node, ast.BoolOp):
        word, other = ("and", "or") if isinstance(node.op, ast.And) else ("or", "and")
        tokens = [text.token_between(a, b, word) for a, b in zip(node.values, node.values[1:])]
        if all(tokens):
            yield "bool", [Edit(*token, other) for token in tokens]
    elif isinstance(node, ast.Constant) and type(node.value) in (int, float):
        for new in nudged(node.value):
            yield "const", [Edit(*text.span(node), repr(new))]
    elif isinstance(node, ast.keyword) and node.arg in AXIS_KEYWORDS:
        yield "axis", [Edit(*text.span(node.value), "0" if _literal(node.value) == -1 else "-1")]
    elif isinstance(node, ast.keyword) and node.arg == "keepdims" and isinstance(_literal(node.value), bool):
        yield "keepdims", [Edit(*text.span(node.value), repr(not node.value.value))]
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        (line, col), _ = text.span(node)  # the node starts at its `-`; brackets after it stay
        yield "neg", [Edit((line, col), (line, col + 1), "")]
    if isinstance(node, DROPPED) and not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)):
        yield "drop", [Edit(*text.span(node), "pass")]  # a bare constant is a docstring or `...`: no behaviour


def nudged(value: int | float) -> list[int | float]:
    """The nearby values a numeric constant is changed to."""
    if isinstance(value, float):
        return [0.5] if value == 0.0 else [2.0 * value]
    return {0: [1], 1: [0, 2]}.get(value, [value + 1])


def _literal(node: ast.AST):
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, RecursionError):
        return None


class Text:
    """A source file's text, with ast positions (UTF-8 byte columns) turned into character positions."""

    def __init__(self, source: str):
        self.source = source
        self.lines = source.split("\n")
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line) + 1)
        self.tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
        self.token_starts = [tok.start for tok in self.tokens]

    def position(self, line: int, byte_col: int) -> Pos:
        return line, len(self.lines[line - 1].encode("utf-8")[:byte_col].decode("utf-8", errors="replace"))

    def span(self, node: ast.AST) -> tuple[Pos, Pos]:
        return self.position(node.lineno, node.col_offset), self.position(node.end_lineno, node.end_col_offset)

    def token_between(self, left: ast.AST, right: ast.AST, string: str) -> tuple[Pos, Pos] | None:
        """Where the token `string` joining `left` and `right` is; only brackets and comments can sit beside it."""
        after, before = self.span(left)[1], self.span(right)[0]
        for tok in itertools.islice(self.tokens, bisect.bisect_left(self.token_starts, after), None):
            if tok.end > before:
                return None
            if tok.string == string:
                return tok.start, tok.end
        return None

    def apply(self, edits: list[Edit]) -> str:
        out = self.source
        for edit in sorted(edits, key=lambda e: e.start, reverse=True):
            out = out[:self._offset(edit.start)] + edit.text + out[self._offset(edit.end):]
        return out

    def _offset(self, pos: Pos) -> int:
        return self.starts[pos[0] - 1] + pos[1]
