"""One build at a time per folder, and automatic recovery after a killed build.

``python -m kzopen.pipeline.buildlock [--no-wait] -- snakemake ARGS...`` (what ``make`` runs):

1. takes an exclusive ``flock`` on ``.snakemake/build.lock``. The kernel releases it when the
   last process holding it ends, however it ends (SIGKILL, power loss, out-of-memory kill),
   so a lock that is held always belongs to a live build. A second build started in the same
   folder prints one line saying so and waits for the first to finish (like Cargo and Bazel);
   with ``--no-wait`` it stops at once with exit status 75 instead;
2. while holding it, removes Snakemake's own lock files (``.snakemake/locks/``), which a
   killed build leaves behind, what ``snakemake --unlock`` does; they are left alone if a
   Snakemake process that was not started through this wrapper still runs in the folder;
3. replaces itself with the command (``exec``), which inherits the locked file, so the lock
   lives exactly as long as the build. The command should pass ``--rerun-incomplete`` so that
   the jobs the killed build left unfinished are redone.
"""

from __future__ import annotations

import argparse
import errno
import fcntl
import os
import sys
from pathlib import Path

LOCK_FILE = Path(".snakemake") / "build.lock"
SNAKEMAKE_LOCKS = Path(".snakemake") / "locks"
EXIT_BUSY = 75  # EX_TEMPFAIL: try again later


def acquire(folder: Path, wait: bool = True) -> int | None:
    """Lock ``folder`` for one build; return the locked file descriptor (inheritable).

    Returns None when another build holds the lock and ``wait`` is False.
    """
    path = folder / LOCK_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno not in (errno.EAGAIN, errno.EACCES):
            os.close(fd)
            raise
        holder = _holder(fd)
        if not wait:
            os.close(fd)
            return None
        print(
            f"Another build is running in this folder{holder}; waiting for it to finish "
            "(Ctrl-C to stop waiting).",
            file=sys.stderr,
            flush=True,
        )
        fcntl.flock(fd, fcntl.LOCK_EX)
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
    os.set_inheritable(fd, True)
    return fd


def _holder(fd: int) -> str:
    try:
        pid = os.pread(fd, 32, 0).decode().strip()
    except OSError:
        return ""
    return f" (process {pid})" if pid.isdigit() else ""


def foreign_snakemake(folder: Path) -> list[int]:
    """PIDs of Snakemake processes (or their jobs) whose working directory is ``folder``.

    Linux only (``/proc``); elsewhere the list is empty. Such a process was started outside
    this wrapper (a bare ``snakemake``), so its lock files are not stale.
    """
    proc = Path("/proc")
    if not proc.is_dir():
        return []
    here = folder.resolve()
    me = {os.getpid(), os.getppid()}
    found = []
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) in me:
            continue
        try:
            cmd = (entry / "cmdline").read_bytes()
            cwd = Path(os.readlink(entry / "cwd"))
        except OSError:
            continue  # gone, or not ours to inspect
        # a build waiting in this wrapper has not started Snakemake yet
        if b"snakemake" in cmd and b"kzopen.pipeline.buildlock" not in cmd and cwd == here:
            found.append(int(entry.name))
    return sorted(found)


def clear_stale_locks(folder: Path) -> list[Path]:
    """Remove Snakemake's lock files left by a killed build; return what was removed."""
    locks = sorted((folder / SNAKEMAKE_LOCKS).glob("*.lock"))
    if not locks:
        return []
    others = foreign_snakemake(folder)
    if others:
        print(
            f"Snakemake lock kept: Snakemake process(es) {others} still run in this folder "
            "outside `make`; let them finish (or stop them) first.",
            file=sys.stderr,
        )
        return []
    for lock in locks:
        lock.unlink(missing_ok=True)
    print(
        "Removed the Snakemake lock left by an interrupted build; unfinished jobs are redone.",
        file=sys.stderr,
    )
    return locks


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m kzopen.pipeline.buildlock", description=__doc__)
    ap.add_argument("--no-wait", action="store_true", help="stop if another build runs here")
    ap.add_argument("command", nargs=argparse.REMAINDER, help="-- then the build command")
    args = ap.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        ap.error("no command given")
    folder = Path.cwd()
    try:
        fd = acquire(folder, wait=not args.no_wait)
    except OSError as exc:
        print(
            f"Error: cannot create the build lock {folder / LOCK_FILE}: {exc.strerror}. "
            "Check that the folder is writable and the disk is not full.",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        return 130
    if fd is None:
        print(
            "Error: another build is running in this folder; wait for it to finish, "
            "then run `make` again.",
            file=sys.stderr,
        )
        return EXIT_BUSY
    clear_stale_locks(folder)
    try:
        os.execvp(command[0], command)
    except OSError as exc:
        print(f"Error: cannot run {command[0]!r}: {exc.strerror}", file=sys.stderr)
        return 127
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main())
