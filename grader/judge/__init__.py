"""The judge's side: what a check is, its comparisons, where checks are found, and the rules it
decides from a submission's source. Nothing here runs next to student code."""
