"""The script adapter (kzopen.pipeline.adapter.run): a user error is one message, no traceback,
exit 1; a configuration error raised by library code names the workflow's config file."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from kzopen.core.errors import CONFIGURATION, ConfigError, InputError
from kzopen.pipeline.adapter import CONFIG_FILE, run


def _sm(tmp_path: Path) -> SimpleNamespace:
    return SimpleNamespace(log=[str(tmp_path / "rule.log")], rule="demo", output=[])


def test_a_configuration_error_names_the_config_file(tmp_path, capsys):
    def main(sm):
        raise ConfigError(CONFIGURATION, "unknown index 'x'", column="compare.indicators")

    with pytest.raises(SystemExit) as exc:
        run(_sm(tmp_path), main)
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert f"file {CONFIG_FILE}, column 'compare.indicators': unknown index 'x'" in err
    assert "Traceback" not in err and CONFIGURATION not in err
    assert CONFIG_FILE in (tmp_path / "rule.log").read_text(encoding="utf-8")


def test_library_code_alone_says_the_configuration():
    err = ConfigError(CONFIGURATION, "groups.definitions is empty")
    assert str(err) == "the configuration: groups.definitions is empty"


def test_an_input_error_keeps_its_file(tmp_path, capsys):
    def main(sm):
        raise InputError("data/raw/x.csv", "no data rows", row=2)

    with pytest.raises(SystemExit):
        run(_sm(tmp_path), main)
    assert "file data/raw/x.csv, row 2: no data rows" in capsys.readouterr().err
