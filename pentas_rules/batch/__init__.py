"""Stage 5, many offices: finding and scoring evidence files (corpus), ranking them (ranking),
the leaderboard's text, CSV, JSON and HTML data (leaderboard) and the worker pool (pool).

Imports the layers below it (up to ``text``); never ``maintenance`` or ``cli``.
"""
