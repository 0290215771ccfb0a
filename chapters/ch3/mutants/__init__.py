"""Chapter 3's mutants: for each exercise, wrong implementations its checks must catch."""
