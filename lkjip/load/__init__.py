"""Load stage: content files read safely into located Documents and prose texts."""
