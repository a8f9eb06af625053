"""Glue between Snakemake's ``script:`` directive and the package.

``params(snakemake)`` is the rule's params as a dict. ``run(snakemake, main)`` sends logging to the rule's log file, runs ``main``, and turns an
:class:`~kzopen.core.errors.InputError` into a one-paragraph message (no traceback) on stderr and
in the log, with exit status 1; so too a full disk, a read-only folder or a permission error
(:func:`~kzopen.core.errors.resource_fault`). Any other exception is a bug and keeps its traceback.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from typing import Any

from kzopen.core.errors import CONFIGURATION, InputError, resource_fault

# Where the workflow keeps its config (the Snakefile's configfile): named in the message of an
# error that library code raised about "the configuration".
CONFIG_FILE = "config/config.yaml"


def params(snakemake: Any) -> dict[str, Any]:
    """The rule's named ``params:`` as a plain dict. Rules pass the config keys a script uses
    one by one, under the key's own name (``alpha=config["compare"]["alpha"]``), never a whole
    section, so that a key's change reruns only its users; a package function that reads a
    section's keys from a mapping gets this dict, which holds exactly those keys."""
    return dict(snakemake.params.items())


def run(snakemake: Any, main: Callable[[Any], None]) -> None:
    log_path = snakemake.log[0] if len(snakemake.log) else None
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(logging.WARNING)  # the full record goes to the rule's log file
    handlers: list[logging.Handler] = [console]
    if log_path:
        os.makedirs(os.path.dirname(log_path) or ".", exist_ok=True)
        handlers.append(logging.FileHandler(log_path, mode="w", encoding="utf-8"))
    logging.basicConfig(
        level=logging.INFO,
        format="%(levelname)s %(name)s: %(message)s",
        handlers=handlers,
        force=True,
    )
    log = logging.getLogger(f"rule.{snakemake.rule}")
    try:
        main(snakemake)
    except InputError as exc:
        if exc.file == CONFIGURATION:
            exc.file = CONFIG_FILE
        log.error("%s", exc.format())
        logging.shutdown()
        sys.exit(1)
    except OSError as exc:  # a full disk, a read-only folder, a folder of another user
        message = resource_fault(exc, [str(o) for o in getattr(snakemake, "output", [])])
        if message is None:
            raise
        log.error("%s", message)
        logging.shutdown()
        sys.exit(1)
    log.info("done")
    logging.shutdown()
