"""The ``nnscratch`` command line: one module per group of commands."""
