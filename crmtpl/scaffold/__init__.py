"""Scaffolding: a new template from the gallery or from the CRM's OpenAPI description.

The core never prints and never asks: :func:`crmtpl.scaffold.build.scaffold_from_openapi`
returns the template text and every choice it made (with the alternatives and why), and
the CLI (``crmtpl new``) asks where a choice was not clear-cut, then builds again with the
answers. :mod:`crmtpl.scaffold.from_gallery` copies a gallery template.
"""
