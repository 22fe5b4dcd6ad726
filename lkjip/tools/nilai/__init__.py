"""nilai tool: the LKE self-score."""
