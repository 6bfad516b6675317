"""Grading with learner code apart from the judge.

The judge (pytest with the kit's tests, torch, the references, the comparison and the score) never
imports a submission. A runner process per exercise does: `python -I -S`, NumPy and the standard
library only, under limits put on it from outside, answering calls over pipes in the wire format of
wire.py. proxy.py gives the tests stand-ins that look like the learner's module and objects.
"""
