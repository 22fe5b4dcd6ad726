"""Tools built on the stages (never imported by them): reviu, nilai, spreadsheets, years, editor set-up, batch."""
