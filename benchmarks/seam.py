"""The one place the benchmark reaches into the engine's internals.

The benchmark times the engine on single indicators, below the public
``evaluate``: that needs the compiled plan of one indicator and the function that
runs it, which the ruleset's Engine owns. When the engine's internals move, only
this module changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from pentas_rules.engine import evaluate as evaluate_module
from pentas_rules.engine.evaluate import _run, engine
from pentas_rules.ruleset.model import Ruleset


def indicator_runner(ruleset: Ruleset, indicator_id: str) -> Callable[[dict[str, Any]], Any]:
    """A function from facts to the indicator's result (with ``.level`` and ``.levels``)."""
    compiled = engine(ruleset)
    plan, choose = compiled.plans[indicator_id], compiled.choose
    return lambda facts: _run(plan, facts, choose)


@contextmanager
def without_memo(ruleset: Ruleset) -> Iterator[None]:
    """The engine computing every indicator and constraint check, its memos emptied and kept empty.

    The memo serves an indicator whose facts' values an earlier office had, so timing the same
    offices pass after pass would time look-ups, not evaluation: the plain scorer it is compared
    with remembers nothing. (End to end, a fresh process, the memo is on as in any batch.)
    """
    limit = evaluate_module.MEMO_LIMIT
    evaluate_module.MEMO_LIMIT = 0
    clear_memos(ruleset)
    try:
        yield
    finally:
        evaluate_module.MEMO_LIMIT = limit


def clear_memos(ruleset: Ruleset) -> None:
    """Empty the engine's memos, as a fresh process has them."""
    compiled = engine(ruleset)
    for plan in compiled.plans.values():
        plan.memo.clear()
    for memo in compiled.constraint_memos:
        memo.clear()
