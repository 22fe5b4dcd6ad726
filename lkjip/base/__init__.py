"""Ground floor, shared by every stage and tool: problems and their codes, the content's vocabulary, limits, formats, cache, output transactions."""
