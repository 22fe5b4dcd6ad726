"""Editor tools: JSON Schemas, CI annotations, the `init` skeleton of a new agency repository."""
