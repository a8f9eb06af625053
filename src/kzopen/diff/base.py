"""The version to compare against: a git commit, exported and built in ``.cache/diff/<sha>/``.

The commit's files are exported with ``git archive`` (the working tree, its index and the
repository's worktree list are never touched) into ``.cache/diff/<sha>/tree`` and built there
by Snakemake with the working tree's environment (``.venv``), importing the commit's own
``src/kzopen``. A built commit is reused: the next comparison reruns Snakemake there, which
does nothing when everything is up to date.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

from kzopen.core.errors import InputError
from kzopen.diff.model import VALUES_JSON
from kzopen.pipeline.scratch import build_env

CACHE = Path(".cache/diff")


class VersionError(InputError):
    """The version to compare against does not exist, predates the values file or does not
    build; named by the ref the user gave (not a file)."""

    def format(self) -> str:
        msg = f"{self.file}: {self.problem}"
        return msg + (f" (expected {self.expected})" if self.expected else "")


# Rules whose outputs the comparison does not read (notebooks, PDF, HTML, the renderings of
# build/article/tables/), skipped in the base's build when it has them.
# (article_table: the per-table rule of older versions; article_tables: all tables in one job)
OMIT_RULES = ("article_notebook", "article_pdf", "article_html", "article_table", "article_tables")


def git(repo: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True)


def resolve(repo: Path, ref: str) -> str:
    """The commit ``ref`` names; InputError when it names none."""
    if not ref:
        raise VersionError(
            "BASE", "no version given", expected="a git ref, e.g. make diff BASE=HEAD~1"
        )
    if git(repo, "rev-parse", "--git-dir").returncode != 0:
        raise VersionError(f"{repo}", "is not a git repository", expected="a clone of the project")
    res = git(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if res.returncode != 0:
        raise VersionError(
            f"BASE={ref}",
            "names no commit of this repository",
            expected="a branch, tag or commit, e.g. HEAD~1, main or v1.0",
        )
    return res.stdout.decode().strip()


def check_builds_values(repo: Path, ref: str, sha: str) -> None:
    """A version without ``results/article_values.json`` has nothing to compare number by number."""
    res = git(repo, "grep", "-q", "-F", VALUES_JSON, sha, "--", "workflow")
    if res.returncode != 0:
        raise VersionError(
            f"BASE={ref}",
            f"commit {sha[:12]} predates {VALUES_JSON} (its workflow does not "
            "write it), so its article cannot be compared value by value",
            expected="a commit whose workflow writes results/article_values.json",
        )


def export(repo: Path, sha: str, dest: Path) -> None:
    """The commit's files in ``dest`` (complete or absent: written beside, then renamed)."""
    if dest.is_dir():
        return
    res = git(repo, "archive", "--format=tar", sha)
    if res.returncode != 0:
        raise InputError(f"commit {sha}", f"git archive failed: {res.stderr.decode().strip()}")
    part = dest.with_name(dest.name + ".part")
    shutil.rmtree(part, ignore_errors=True)
    part.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(res.stdout)) as tar:
        tar.extractall(part, filter="data")
    part.rename(dest)


def _omit(tree: Path) -> list[str]:
    rules = "\n".join(p.read_text(encoding="utf-8") for p in tree.glob("workflow/rules/*.smk"))
    have = [r for r in OMIT_RULES if f"rule {r}:" in rules]
    return ["--omit-from", *have] if have else []


def build(tree: Path, cores: str, log: Path) -> subprocess.CompletedProcess[str]:
    """Snakemake in ``tree`` with this environment and the tree's own package."""
    venv_bin = Path(sys.executable).parent
    env = build_env(venv_bin, package_src=tree / "src")
    cmd = [str(venv_bin / "snakemake"), "--cores", cores, "--rerun-incomplete", *_omit(tree)]
    with open(log, "w", encoding="utf-8") as fh:
        return subprocess.run(
            cmd, cwd=tree, env=env, stdout=fh, stderr=subprocess.STDOUT, text=True
        )


def prepare_base(repo: Path, ref: str, cores: str = "all") -> tuple[Path, str]:
    """Export and build (or reuse) the commit ``ref``; returns its tree and a label."""
    repo = Path(repo).resolve()
    sha = resolve(repo, ref)
    check_builds_values(repo, ref, sha)
    cache = repo / CACHE / sha
    tree = cache / "tree"
    export(repo, sha, tree)
    log = cache / "build.log"
    state = "updating the cached build" if (tree / VALUES_JSON).is_file() else "building"
    print(f"base {ref}: {state} in {(CACHE / sha).as_posix()}/tree", file=sys.stderr)
    res = build(tree, cores, log)
    if res.returncode != 0 or not (tree / VALUES_JSON).is_file():
        tail = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-8:]
        raise VersionError(
            f"BASE={ref}",
            f"commit {sha[:12]} does not build (Snakemake exit status "
            f"{res.returncode}); last lines: {' | '.join(tail)}; full log: "
            f"{(CACHE / sha / 'build.log').as_posix()}",
            expected="a commit that builds with the working tree's environment",
        )
    return tree, f"{ref} ({sha[:12]})"
