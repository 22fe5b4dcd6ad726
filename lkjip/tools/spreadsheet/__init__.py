"""Spreadsheet tools: ekspor (tables to XLSX), impor-anggaran (finance exports onto program.yaml)."""
