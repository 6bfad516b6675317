"""Assignments leave the kit: student repositories, their integrity record, and Gradescope autograder bundles."""
