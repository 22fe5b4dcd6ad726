"""Render stage: prose (prose.py), outline and DOCX (build.py, docx_writer.py, tables.py), Markdown rendition."""
