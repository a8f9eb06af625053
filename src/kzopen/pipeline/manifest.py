"""The raw-data manifest: one row per file under ``data/raw/``, checksum-locked.

``verify_raw_files`` is the first step of every build; ``lock_raw_files`` (``make data-lock``)
rewrites the checksums after an intended change and reports which files changed.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from pathlib import Path

import pandas as pd

from kzopen.core.errors import InputError, cli_exit_code
from kzopen.core.io import read_results, write_csv
from kzopen.pipeline.paths import confined

MANIFEST_COLUMNS = [
    "path",
    "source",
    "publisher",
    "url",
    "license",
    "retrieved",
    "sha256",
    "columns",
    "description",
]


def sha256_of(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_manifest(manifest: str | Path) -> pd.DataFrame:
    manifest = Path(manifest)
    if not manifest.exists():
        raise InputError(manifest, "manifest not found")
    df = read_results(manifest, text=True)
    missing = [c for c in MANIFEST_COLUMNS if c not in df.columns]
    if missing:
        raise InputError(manifest, f"missing column(s) {missing}", expected=str(MANIFEST_COLUMNS))
    dup = df["path"].duplicated(keep=False)
    if dup.any():
        i = int(dup.to_numpy().nonzero()[0][1])
        raise InputError(
            manifest, f"duplicate path {df['path'].iat[i]!r}", row=i + 2, column="path"
        )
    return df


def _raw_files(raw_dir: Path, manifest: Path) -> list[str]:
    root = raw_dir.parent.parent
    return sorted(
        p.relative_to(root).as_posix()
        for p in raw_dir.rglob("*")
        if p.is_file() and p.resolve() != manifest.resolve() and not p.name.startswith(".")
    )


def verify_raw_files(manifest: str | Path, root: str | Path = ".") -> list[str]:
    """Check every raw file against the manifest; raise InputError naming the first mismatch.

    Also fails for a file under ``data/raw`` that the manifest does not list, so that no
    unrecorded input can slip into a build. Returns the verified paths.
    """
    root = Path(root)
    manifest = Path(manifest)
    confined(manifest, root, "data/raw", file="config/config.yaml", column="manifest")
    df = read_manifest(root / manifest)
    listed = set(df["path"])
    for i, row in enumerate(df.itertuples(index=False)):
        f = confined(row.path, root, "data/raw", file=manifest, row=i + 2, column="path")
        if not f.exists():
            _missing_raw_file(f, row.path, manifest, i + 2)
        actual = sha256_of(f)
        if actual != row.sha256:
            raise InputError(
                row.path,
                f"checksum mismatch: sha256 {actual} differs from {row.sha256} recorded in "
                f"{manifest.as_posix()}. If the change is intended, run `make data-lock`",
                column="sha256",
            )
    unlisted = [p for p in _raw_files(root / "data" / "raw", root / manifest) if p not in listed]
    if unlisted:
        raise InputError(
            unlisted[0],
            f"is not listed in {manifest.as_posix()}; every raw file needs a manifest row "
            "(source, url, license, sha256)",
        )
    return sorted(listed)


def _missing_raw_file(f: Path, listed: str, manifest: Path, row: int) -> None:
    """Raise the error for a listed raw file that cannot be read, saying what to do."""
    restore = (
        f"restore it (`git checkout -- {listed}`), or, if it was removed on purpose, delete its "
        "row from the manifest and run `make data-lock`"
    )
    if f.is_symlink():
        raise InputError(
            listed,
            f"is a symbolic link to {os.readlink(f)!r}, which does not exist "
            f"(listed in {manifest.as_posix()}, row {row})",
            expected=f"the file itself: {restore}",
        )
    raise InputError(
        manifest,
        f"lists {listed!r}, which does not exist",
        row=row,
        column="path",
        expected=f"the raw file in place: {restore}",
    )


def lock_raw_files(manifest: str | Path, root: str | Path = ".") -> list[str]:
    """Rewrite the sha256 column from the files on disk; return the paths whose hash changed."""
    root = Path(root)
    df = read_manifest(root / manifest)
    changed = []
    for i in range(len(df)):
        f = root / df.at[i, "path"]
        if not f.exists():
            raise InputError(
                manifest, f"lists {df.at[i, 'path']!r}, which does not exist", row=i + 2
            )
        new = sha256_of(f)
        if new != df.at[i, "sha256"]:
            changed.append(df.at[i, "path"])
            df.at[i, "sha256"] = new
    df = df.sort_values("path", kind="stable").reset_index(drop=True)
    write_csv(df[MANIFEST_COLUMNS], root / manifest)
    return changed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m kzopen.pipeline.manifest", description=__doc__)
    ap.add_argument("command", choices=["verify", "lock"])
    ap.add_argument("manifest", nargs="?", default="data/raw/manifest.csv")
    args = ap.parse_args(argv)
    return cli_exit_code(lambda: _command(args.command, args.manifest))


def _command(command: str, manifest: str) -> None:
    if command == "verify":
        files = verify_raw_files(manifest)
        print(f"{len(files)} raw files match {manifest}")
        return
    changed = lock_raw_files(manifest)
    if changed:
        print("checksums updated for:")
        for p in changed:
            print(f"  {p}")
    else:
        print("no raw file changed")


if __name__ == "__main__":
    sys.exit(main())
