"""Record the HTTP exchanges of a run once, replay them offline (``--record`` / ``--replay``).

* :mod:`.redaction`: every secret becomes a ``{{secret:NAME}}`` placeholder, in every
  encoding, before anything is written;
* :mod:`.cassette`: one readable JSON file per exchange (the format, docs/testing.md);
* :mod:`.matching`: which recording answers a request, and the closest one with a diff
  when none does;
* :mod:`.store`: the :class:`~.store.Recorder` and :class:`~.store.Player` that plug into
  :class:`crmtpl.http.HttpClient`;
* :mod:`.replay`: the placeholder values secrets take in a replayed run.
"""

from __future__ import annotations
