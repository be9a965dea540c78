"""Stage 3, the engine: evaluating a ruleset over evidence (evaluate), the results and their
trace and their full JSON form (results), the compact JSON Lines form (compact), scoring policies (scoring) and the next
step to a higher level (nextstep).

Imports ``errors``, ``files``, ``ruleset`` and ``evidence``; never ``text``, ``batch``,
``maintenance`` or ``cli``.
"""
