"""Stage 2, the evidence: one office's evidence read and checked against a ruleset's fact catalogue.

- ``jsonfile``: bytes to a JSON mapping, with the strict-JSON refusals;
- ``checker``: the one checker, mapping + ruleset to Evidence or every problem worded;
- ``schema``: the evidence JSON Schema generated from the catalogue (``pentas schema``,
  and the tests' reference for the checker);
- ``model``: Evidence, OfficeMeta, FactNote;
- ``reader``: the two composed, ``parse_evidence`` and ``evidence_problems``.

Imports ``errors``, ``files`` and ``ruleset`` (the model, never the loader); never ``engine``,
``text``, ``batch``, ``maintenance`` or ``cli``.
"""
