"""Shared by every room: paths, the manifest, messages in every language (locales/), settings, running a
test session and reading its records, scores and reports as data, loading learner code, stubs from solutions."""
