"""LKjIP reports-as-code: load -> validate -> check -> compute -> render."""
