"""templatetags."""
