"""Where data sets are looked for, in order, and where downloads go."""

import os
from pathlib import Path

ENV_VAR = "NNSCRATCH_DATA"


def cache_dir(name):
    """``~/.cache/nnscratch/<name>`` (or under ``$XDG_CACHE_HOME``): where downloads go."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "nnscratch" / name


def search_dirs(name, data_dir=None, system_dirs=(), shared_root=True):
    """Folders to look in, in order: ``data_dir``, ``$NNSCRATCH_DATA/<name>`` and (when
    ``shared_root``) ``$NNSCRATCH_DATA`` itself, the system folders, then the cache.

    Data sets whose files share names with another's (MNIST and Fashion-MNIST)
    pass ``shared_root=False``, so that each is found only in its own folder.
    """
    dirs = []
    if data_dir is not None:
        dirs.append(Path(data_dir))
    if os.environ.get(ENV_VAR):
        root = Path(os.environ[ENV_VAR])
        dirs += [root / name, root] if shared_root else [root / name]
    dirs += [Path(d) for d in system_dirs]
    dirs.append(cache_dir(name))
    return dirs
