"""The CRM's own API description (OpenAPI 3 or Swagger 2), read offline.

``description`` loads one (file or folder, JSON or YAML, ``$ref``s across files);
``matching`` finds the operation a template's request calls.
"""
