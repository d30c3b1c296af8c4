"""Rendering a scenario's requests: the variable context, secrets, RenderedRequest."""
