"""Auth methods as strategies: one module per method of the AuthMethod scenario.

Each strategy (:class:`~crmtpl.auth.base.AuthStrategy`) declares what it needs and
provides (read from the catalogue's ``[[auth_methods]]`` entry), how it adds itself to a
request (the variables it derives and the ``Authorization`` header), how it gets or
refreshes a token (a :class:`~crmtpl.creds.tokens.TokenManager`, or none) and which lint
rules check it. :func:`~crmtpl.auth.registry.strategy_for` picks one by name; render, run
and the CLI ask it instead of comparing method strings.

Modules: ``none``, ``basic``, ``oauth2``, ``bearertoken`` (one per method), ``base`` (the
interface and the shared token behaviour), ``registry`` (name -> strategy).
"""
