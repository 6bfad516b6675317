"""`nnlings watch`: the current exercise, rechecked on every save."""
