"""Files the tracker writes are readable by its own user only (mode 0600). No Flask, no database.

The secret key, the SQLite database and its backups, and the exports and reports written by the
command line hold sessions' keys and the whole portfolio. Created with the process's umask
(usually 022) they would be readable by every user of the machine, so they are created with an
explicit mode instead, and older files found readable by others are narrowed when opened.
"""

import os
from pathlib import Path

OWNER_ONLY = 0o600
_OTHERS_BITS = 0o077


def create_owner_only(path: str | Path) -> bool:
    """Create `path` empty and owner-only; False (and nothing changed) if it already exists."""
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY)
    except FileExistsError:
        return False
    os.close(handle)
    return True


def write_owner_only(path: str | Path, data: bytes) -> None:
    """Write `data` to `path` (replacing its content) so that only the owner can read it."""
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, OWNER_ONLY)
    with os.fdopen(handle, "wb") as target:
        os.fchmod(target.fileno(), OWNER_ONLY)  # an existing file keeps its mode through O_CREAT
        target.write(data)


def write_new_owner_only(path: str | Path, data: bytes) -> bool:
    """Create `path` holding `data`, owner-only, all at once; False if it already exists.

    Written beside it and linked into place, so a process reading `path` at the same moment sees
    the whole content or no file, never an empty one.
    """
    path = Path(path)
    partial = path.with_name(f"{path.name}.{os.getpid()}.part")
    write_owner_only(partial, data)
    try:
        os.link(partial, path)
    except FileExistsError:
        return False
    finally:
        partial.unlink()
    return True


def restrict_to_owner(*paths: str | Path) -> None:
    """Narrow each existing file that others may read to 0600; missing or foreign files are skipped."""
    for path in paths:
        try:
            if os.stat(path).st_mode & _OTHERS_BITS:
                os.chmod(path, OWNER_ONLY)
        except (FileNotFoundError, PermissionError):
            continue


SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def sqlite_files(database_path: str | Path) -> tuple[Path, ...]:
    """The database file and the files SQLite keeps beside it: `-wal` and `-shm` (WAL), `-journal`."""
    return (Path(database_path), *(Path(f"{database_path}{suffix}") for suffix in SQLITE_COMPANIONS))
