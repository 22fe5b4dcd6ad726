"""Year tools: new-year (scaffold) and diff between years."""
