"""Where a study lives: a database URL, or a journal file in the output folder.

- A URL's password never reaches a screen or a log: :func:`mask` replaces it
  with ``***`` wherever the URL is printed, and :func:`scrub` takes it out of
  error messages (a database driver may quote the URL it was given).
- Opening a storage fails with one ``ValueError`` line, never a traceback: a
  URL that cannot be parsed, a database driver that is not installed, a
  database that cannot be reached or an sqlite file that cannot be written.
- ``postgresql://`` means psycopg 3 (what the ``sweep`` extra installs), whatever
  SQLAlchemy's own default driver for that scheme is; ``postgresql+psycopg2://``
  still picks psycopg2 for those who have it.
- A journal whose last line was cut short (a full disk, a killed writer) is
  repaired before use: see :func:`repair_journal`.
"""

import re
import shutil
import time
import warnings
from pathlib import Path
from urllib.parse import unquote

JOURNAL = "study.journal"

# [scheme://]user:password@host...: the password is what lies between the first ':' after the
# user name and the last '@' before the host (a password may itself hold '@' or ':'). Without a
# scheme, "name:" followed by "//" is a scheme, not a user.
_PASSWORD = re.compile(
    r"^(?P<head>(?:[A-Za-z][A-Za-z0-9+.-]*://)?[^:/@]*:(?!//))(?P<password>.*)(?P<tail>@[^@/]*(/.*)?)$"
)
_DRIVERS = {"postgresql": "postgresql+psycopg", "postgres": "postgresql+psycopg"}


def mask(url):
    """``url`` with its password shown as ``***``.

    >>> mask("postgresql://ann:s3cret@db.example:5432/sweeps")
    'postgresql://ann:***@db.example:5432/sweeps'
    >>> mask("sqlite:///runs/study.db")
    'sqlite:///runs/study.db'
    """
    match = _PASSWORD.match(url)
    if not match or not match["password"]:
        return url
    return f"{match['head']}***{match['tail']}"


def scrub(text, url):
    """``text`` with the password of ``url`` (as written, and percent-decoded) replaced by ``***``."""
    match = _PASSWORD.match(url) if url else None
    if not match or not match["password"]:
        return text
    for secret in {url, match["password"], unquote(match["password"])}:
        text = text.replace(secret, mask(url) if secret == url else "***")
    return text


def database_url(url):
    """The URL given to SQLAlchemy: ``postgresql://`` and ``postgres://`` name psycopg 3.

    >>> database_url("postgresql://ann@db/sweeps")
    'postgresql+psycopg://ann@db/sweeps'
    """
    scheme, sep, rest = url.partition("://")
    return f"{_DRIVERS.get(scheme, scheme)}{sep}{rest}" if sep else url


def open_storage(url, output_dir, warn=print):
    """An Optuna storage: the database at ``url``, or the journal file ``output_dir/study.journal``.

    Raises
    ------
    ValueError
        One line, the password masked, when the storage cannot be opened.
    """
    if url:
        return _database(url)
    from optuna.storages import JournalStorage
    from optuna.storages.journal import JournalFileBackend

    Path(output_dir).mkdir(parents=True, exist_ok=True)
    path = Path(output_dir) / JOURNAL
    repair_journal(path, warn)
    try:
        return JournalStorage(JournalFileBackend(str(path)))
    except ValueError as error:  # a line in the middle that is not JSON: not something to guess at
        raise ValueError(f"the study journal {path} is damaged ({error}); move it away to start a new study") from None


def _database(url):
    import optuna
    import sqlalchemy.exc

    try:
        with warnings.catch_warnings():  # heartbeats are "experimental" in Optuna; the warning is noise here
            warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
            return optuna.storages.RDBStorage(database_url(url), heartbeat_interval=5, grace_period=20)
    except ImportError as error:
        missing = getattr(error.__cause__, "name", None) or "its module"
        reason = f"needs the database driver {missing}, which is not installed"
        if "psycopg" in str(missing):
            reason += ' (pip install "nnscratch[sweep]")'
    except sqlalchemy.exc.ArgumentError as error:  # unparsable URL, unknown dialect
        reason = f"is not a database URL SQLAlchemy knows ({str(error).splitlines()[0]})"
    except sqlalchemy.exc.SQLAlchemyError as error:  # cannot connect, cannot open or write the file
        reason = f"cannot be opened: {_first_line(error)}"
    raise ValueError(scrub(f"--storage {mask(url)} {reason}", url)) from None


def failure(error, url):
    """One line for a storage that failed during the sweep (a database gone away), password masked;
    None when ``error`` is not a database error."""
    try:
        import sqlalchemy.exc
    except ImportError:
        return None
    if not isinstance(error, sqlalchemy.exc.SQLAlchemyError):
        return None
    return scrub(f"the study's storage failed: {_first_line(error)}", url)


def _first_line(error):
    """The driver's own message (SQLAlchemy's adds the statement and a link on further lines)."""
    cause = error.orig if getattr(error, "orig", None) is not None else error
    lines = str(cause).strip().splitlines()
    return lines[0] if lines else type(cause).__name__


def repair_journal(path, warn=print):
    """Cut a torn last line off the journal at ``path``; return the copy kept of the original, or None.

    Optuna appends one JSON record per line. A write stopped by a full disk or a
    kill leaves a last line without its newline, and Optuna's next record would be
    glued to it, leaving a line no one can read. The torn tail is a record that
    never completed, so it is dropped: the file is copied to
    ``study.journal.torn-<time>`` and then truncated after its last complete line.
    Runs under Optuna's own journal lock, so no worker appends meanwhile.
    """
    path = Path(path)
    if not path.exists() or path.stat().st_size == 0:
        return None
    from optuna.storages.journal import JournalFileSymlinkLock

    lock = JournalFileSymlinkLock(str(path))
    lock.acquire()
    try:
        with open(path, "rb") as handle:
            keep = _complete_length(handle, path.stat().st_size)
        size = path.stat().st_size
        if keep == size:
            return None
        copy = path.with_name(f"{path.name}.torn-{time.strftime('%Y%m%d-%H%M%S')}")
        shutil.copy2(path, copy)
        with open(path, "r+b") as handle:
            handle.truncate(keep)
    finally:
        lock.release()
    warn(
        f"warning: {path} ended in a torn line ({size - keep} bytes, a write cut short); removed it, "
        f"the original is kept in {copy}"
    )
    return copy


def _complete_length(handle, size):
    """Bytes up to and including the last newline of the file (0 when there is none)."""
    block = 1 << 16
    end = size
    while end > 0:
        start = max(0, end - block)
        handle.seek(start)
        newline = handle.read(end - start).rfind(b"\n")
        if newline >= 0:
            return start + newline + 1
        end = start
    return 0
