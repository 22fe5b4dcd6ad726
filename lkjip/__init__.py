"""LKjIP reports-as-code: load -> validate -> check -> compute -> render."""

__version__ = "0.2.0"
