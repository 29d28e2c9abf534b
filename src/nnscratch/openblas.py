"""How long OpenBLAS's idle threads spin, set before NumPy loads OpenBLAS (``nnscratch`` imports this first).

OpenBLAS reads ``OPENBLAS_THREAD_TIMEOUT`` once, when NumPy loads it: how long its idle
threads spin, waiting for the next matrix product, before they sleep. Its default, 2**28
cycles (about 0.1 s), keeps every core but one busy between products, and the threads of
:mod:`nnscratch.parallel` then find no core to run on. 2**20 cycles (well under a millisecond)
still covers the gap between products that follow each other. A value the user set is kept.

When NumPy was imported before nnscratch, without the variable, OpenBLAS spins as it likes:
:data:`SPINS_LONG` is then True, and :mod:`nnscratch.parallel` keeps to one thread unless
``NNSCRATCH_NUM_THREADS`` asks for more (splitting would cost, not gain).
"""

import os
import sys

SPINS_LONG = "numpy" in sys.modules and not os.environ.get("OPENBLAS_THREAD_TIMEOUT")
os.environ.setdefault("OPENBLAS_THREAD_TIMEOUT", "20")
