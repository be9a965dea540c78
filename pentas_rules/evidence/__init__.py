"""Stage 2, the evidence: reading one office's evidence JSON, checking it against the fact
catalogue of a ruleset, and the evidence JSON Schema generated from that catalogue.

Imports ``errors``, ``files`` and ``ruleset`` (the model, never the loader); never ``engine``,
``text``, ``batch``, ``maintenance`` or ``cli``.
"""
