"""Shared by every stage: the hard limits that keep hostile or runaway content from exhausting the machine.

Each limit is far above what a real report needs (README, "Jaminan dan batas"); reaching one is a content error
with a clear message, never a hang or a crash.
"""
from __future__ import annotations

MAX_FILE_BYTES = 8 * 1024 * 1024      # one YAML or prose file
MAX_IMAGE_BYTES = 8 * 1024 * 1024     # the cover logo, one picture in prose
MAX_YAML_DEPTH = 40                   # nesting of mappings/lists (real content: about 10)
MAX_YAML_NODES = 100_000              # values in one YAML file, aliases counted at their expanded size
MAX_PROBLEMS_PER_FILE = 500           # schema problems listed per file; the rest are counted
MAX_TEMPLATE_STEPS = 100_000          # loop iterations + calls in one template rendering
MAX_TEMPLATE_STRING = 1_000_000       # characters of one string built by a template expression
MAX_TEMPLATE_OUTPUT = 2_000_000       # characters of one rendered prose file or outline
MAX_RANGE = 10_000                    # range() in templates
MAX_POWER_BITS = 4_096                # a ** b in templates
MAX_CHART_ITEMS = 40                  # bars per chart; more are summarised
MAX_ORG_COLUMNS = 8                   # units under the head in the organisation chart
MAX_ORG_ROWS = 12                     # units per column in the organisation chart
YEAR_MIN, YEAR_MAX = 2000, 2100       # report and Renstra years; months of dates (YYYY-MM) too
MONEY_MAX = 10 ** 15                  # Rupiah amounts are below this
NUMBER_INT_DIGITS, NUMBER_FRACTION_DIGITS = 15, 6    # decimal figures (targets, realisasi, percentages)
