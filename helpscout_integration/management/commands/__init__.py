"""management/commands."""
