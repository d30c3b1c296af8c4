"""crmtpl: lint, render and run Yeastar P-Series CRM/helpdesk integration templates."""

__version__ = "0.1.0"
__all__ = ["__version__"]
