"""Executing scenarios against a real CRM: HTTP, auth, record assembly, chains."""
