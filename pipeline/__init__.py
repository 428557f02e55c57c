"""zhfacts: structured facts from Chinese news."""

__version__ = "0.1.0"
