"""``crmtpl test``: template tests that replay a recording and check what the PBX stores.

* :mod:`.spec`: the TOML test file (template, scenario, inputs, recording, expectations);
* :mod:`.execute`: one test run offline (replay), live, or live with ``--update``;
* :mod:`.compare`: expected records (exact or subset) and requests against what happened;
* :mod:`.writer`: test files written back (``--update``, ``run --write-test``), never with
  a secret in them;
* :mod:`.reports`: text, json, junit and github output.
"""

from __future__ import annotations
