"""What grading writes: gradebooks, Gradescope's results, feedback pages, JUnit, the class summary."""
