"""``nnscratch playground``: TensorFlow Playground's page, trained by this package's own layers in Python.

Reading order: ``config`` (the page's settings), ``datasets`` (points and input features),
``model`` (the network, the optimizer, one epoch), ``frames`` (what the page draws),
``session`` (one page's run), ``probes`` (step mode, gradient check, layer source),
``export`` (the run as a script), ``trainer`` (one thread per page), ``server`` (the page
and its socket). The page itself is plain JavaScript in ``static/``, read in the order
its ``README.md`` gives.

Needs the ``playground`` extra (``pip install "nnscratch[playground]"``) for the server.
"""
