"""What the exercise tests use: the pytest plugin, `check`, comparison with the torch oracle, failure messages,
the catalogue of mistakes and the diagnoses built from it, and the record a run leaves."""
