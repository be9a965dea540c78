"""Stage 4, the words: the id/en phrase table and explanations (explain), the report view as
plain data (report_model) and its jinja2 rendering with the templates (report).

Imports the layers below it (``errors``, ``files``, ``ruleset``, ``evidence``, ``engine``);
never ``batch``, ``maintenance`` or ``cli``.
"""
