"""The learner's loop: watch mode, notebooks, the progress state, the terminal's look, and the warm processes
that make a check fast."""
