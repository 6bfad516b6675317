"""For authors: the self-check, the gallery of failure messages, `dev new` and `dev mutate`."""
