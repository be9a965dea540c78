"""Stage 1, the rules: the rule model (model, operators), reading rule YAML safely (yamlsafe),
checking and building a ruleset (loader), the cache that wraps the loader (cache), and the
interval/set algebra over conditions (analysis) that lint, the next step, diff and coverage share.

Imports only ``errors`` and ``files``; never ``evidence``, ``engine``, ``text``, ``batch``,
``maintenance`` or ``cli``. The loader knows nothing of the cache.
"""
