"""helpscout_integration: a reusable Django app that mirrors Help Scout into a product."""

__version__ = "0.1.0"
