"""The lectures' worked examples as functions that return their numbers.

The command line prints and plots them; the tests pin them to SPEC 1.1-1.5.
Reading order: ``calculus``, ``backprop``, ``forward``.
"""
