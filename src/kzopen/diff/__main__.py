"""``python -m kzopen.diff OLD NEW`` and ``python -m kzopen.diff --base REF`` (``make diff``)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from kzopen.core.errors import InputError, cli_exit_code
from kzopen.diff.base import git, prepare_base
from kzopen.diff.changes import compare_builds
from kzopen.diff.page import summary_text, write_outputs

PAGE = "build/article/changes.html"
CSV = "results/changes.csv"


def working_tree_label(repo: Path) -> str:
    head = git(repo, "rev-parse", "--short=12", "HEAD").stdout.decode().strip()
    dirty = git(repo, "status", "--porcelain", "--untracked-files=no").stdout.strip()
    return f"the working tree (HEAD {head}{', with uncommitted changes' if dirty else ''})"


def parse(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        prog="python -m kzopen.diff",
        description="Compare two versions of the article number by number (docs/changes.md).",
    )
    ap.add_argument("old", nargs="?", help="built checkout or article_values.json (before)")
    ap.add_argument("new", nargs="?", help="built checkout or article_values.json (after)")
    ap.add_argument("--base", help="git ref to compare the working tree (built) against")
    ap.add_argument("--repo", default=".", help="repository root for --base (default: .)")
    ap.add_argument("--cores", default="all", help="Snakemake --cores for the base's build")
    ap.add_argument("--html", help=f"page to write (default: NEW/{PAGE})")
    ap.add_argument("--csv", help=f"CSV to write (default: NEW/{CSV})")
    ap.add_argument("--old-label", help="name of the old version on the page")
    ap.add_argument("--new-label", help="name of the new version on the page")
    args = ap.parse_args(argv)
    if (args.base is None) == (args.old is None or args.new is None) or (args.base and args.old):
        ap.error("give either OLD and NEW, or --base REF")
    return args


def run(args: argparse.Namespace) -> None:
    if args.base is not None:
        repo = Path(args.repo)
        old, label = prepare_base(repo, args.base, args.cores)
        new, old_label, new_label = repo, label, working_tree_label(repo)
    else:
        old, new = Path(args.old), Path(args.new)
        old_label, new_label = old.resolve().name, new.resolve().name
    html = args.html or (new / PAGE if new.is_dir() else None)
    csv = args.csv or (new / CSV if new.is_dir() else None)
    if html is None or csv is None:
        raise InputError(new, "is a values file: say where to write", expected="--html and --csv")
    start = time.perf_counter()
    cmp = compare_builds(old, new, args.old_label or old_label, args.new_label or new_label)
    write_outputs(cmp, html, csv)
    print(summary_text(cmp))
    print(f"wrote {html} and {csv} ({time.perf_counter() - start:.1f} s)")


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    return cli_exit_code(lambda: run(args))


if __name__ == "__main__":
    sys.exit(main())
