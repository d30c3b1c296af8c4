"""crmtpl.lsp: the language server behind ``crmtpl lsp`` (pygls, over stdio).

A thin layer over the same core the CLI uses: :mod:`crmtpl.lint` for diagnostics and fixes,
the template loader and :mod:`crmtpl.template.catalogue` for hovers, completions and
navigation. Every module but :mod:`crmtpl.lsp.server` is plain Python working on offsets
of the document text, so it is tested without an editor; ``server`` converts offsets to
LSP positions (:mod:`crmtpl.lsp.positions`) and is the only module importing pygls. Nothing
here is imported unless ``crmtpl lsp`` runs.
"""
