"""Before a build writes anything: can it write where it must?

A read-only output folder, a folder that belongs to another user, or a full disk would
otherwise surface as an error from deep inside Snakemake or a job. ``check_build_folders``
names the folder and what to do instead. A disk that fills up during the build is reported by
the job that hits it (:func:`kzopen.core.errors.resource_fault`); outputs are written atomically
(:mod:`kzopen.core.io`), so a failed write never leaves a file that a later build would trust.
"""

from __future__ import annotations

import os
import pwd
from collections.abc import Iterable
from pathlib import Path

from kzopen.core.errors import ResourceError

# Every folder a build writes to, relative to the repository.
BUILD_FOLDERS = (".snakemake", "logs", "data/processed", "results", "figures", "build/article")
MIN_FREE_BYTES = 1 << 20  # below this (or with no free inode) the disk is as good as full


def _owner(path: Path) -> str:
    uid = path.stat().st_uid
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


def check_build_folders(root: str | Path, folders: Iterable[str] = BUILD_FOLDERS) -> None:
    """Raise ResourceError for the first build folder that cannot be written."""
    root = Path(root)
    for rel in folders:
        probe = root / rel
        while not probe.exists() and probe != root:
            probe = probe.parent  # a missing folder is created inside its nearest parent
        shown = probe.relative_to(root).as_posix() if probe != root else "."
        stat = os.statvfs(probe)
        if stat.f_flag & os.ST_RDONLY:
            raise ResourceError(
                shown,
                "is on a read-only file system; the build writes its outputs here",
                expected="a writable folder: remount it read-write, or build in a writable copy",
            )
        if not os.access(probe, os.W_OK | os.X_OK):
            raise ResourceError(
                shown,
                f"is not writable for you: it belongs to {_owner(probe)}",
                expected=f"a folder you own: `chown -R {pwd.getpwuid(os.geteuid()).pw_name} "
                f"{shown}`, or build as its owner",
            )
        if stat.f_bavail * stat.f_frsize < MIN_FREE_BYTES or (stat.f_files and not stat.f_favail):
            raise ResourceError(
                shown,
                "the disk that holds it is full",
                expected="free space on that disk, then run `make` again",
            )
