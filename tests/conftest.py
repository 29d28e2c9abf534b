import sys
from pathlib import Path

import numpy as np
import pytest

# The layer registry is a helper module beside the tests.
sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture
def rng():
    return np.random.default_rng(20261125)
