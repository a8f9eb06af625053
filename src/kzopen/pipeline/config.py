"""Configuration checks with user-facing messages: unknown keys, wrong types, unsafe paths.

``validate_config`` checks the loaded config against the JSON schema and reports the FIRST
problem as an :class:`~kzopen.core.errors.ConfigError` naming the file and the dotted key, e.g.
``file config/config.yaml, column 'portal.input_form': ...``, instead of dumping the schema.
``check_config_paths`` confines every path-like value to the repository.
``load_config`` reads a YAML file with the safe loader only (no Python tags, no templating).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from kzopen.core.errors import ConfigError
from kzopen.pipeline.paths import confined

# A config value is treated as a file path when its key says so or when it looks like one.
_PATH_KEY = re.compile(r"(^|_)(path|paths|file|files|dir|template|manifest)$")
# libyaml's safe loader where PyYAML was built with it (the same YAML subset as yaml.safe_load,
# about ten times faster: the schema is read on every workflow parse)
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_PATH_VALUE = re.compile(
    r"^(/|~|\.\./)|\.(csv|tsv|ya?ml|json|j2|md|txt|parquet|xlsx|sav|zsav|dta|ipynb|typ|css|html|pdf)$"
)


def load_config(path: str | Path) -> dict[str, Any]:
    """Read a YAML config with the safe loader; anything but plain data is an error."""
    try:
        with open(path, encoding="utf-8") as fh:
            data = yaml.load(fh, Loader=SAFE_LOADER)
    except FileNotFoundError:
        raise ConfigError(path, "config file not found") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(path, f"not valid UTF-8 (byte {exc.start})", expected="UTF-8") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(path, f"not plain YAML data: {problem}", row=row) from None
    if not isinstance(data, dict):
        raise ConfigError(path, "top level is not a mapping", expected="key: value pairs")
    if "__use_yte__" in data:
        raise ConfigError(path, "YTE templating is not allowed", column="__use_yte__")
    return data


def _dotted(path: Any) -> str:
    return ".".join(str(p) for p in path) or "(top level)"


def _with_defaults(validator_class: Any) -> Any:
    """A validator that fills in each property's schema ``default`` where the instance lacks
    it, as it validates: the recipe of the jsonschema FAQ, which ``snakemake.utils.validate``
    uses too."""
    validate_properties = validator_class.VALIDATORS["properties"]

    def set_defaults(validator, properties, instance, schema):  # noqa: ANN001, ANN202
        for name, subschema in properties.items():
            if "default" in subschema and isinstance(instance, dict):
                instance.setdefault(name, subschema["default"])
        yield from validate_properties(validator, properties, instance, schema)

    return jsonschema.validators.extend(validator_class, {"properties": set_defaults})


def validate_config(
    config: Mapping[str, Any],
    schema_file: str | Path,
    file: str | Path,
    *,
    fill_defaults: bool = False,
) -> None:
    """Validate ``config`` against the schema; raise ConfigError for the first problem. With
    ``fill_defaults`` (the Snakefile), a valid ``config`` (a dict) then gets the schema's
    defaults for the keys it lacks, as ``snakemake.utils.validate`` would give it; the schema
    is read once, with LibYAML, which is most of the cost of validating at every parse."""
    with open(schema_file, encoding="utf-8") as fh:
        schema = yaml.load(fh, Loader=SAFE_LOADER)
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(dict(config)), key=lambda e: list(map(str, e.path)))
    if not errors:
        _check_missing_keys(config, schema, file, ())
        if fill_defaults:
            filler = _with_defaults(jsonschema.Draft202012Validator)(schema)
            problem = jsonschema.exceptions.best_match(filler.iter_errors(config))
            if problem is not None:  # a schema default that its own schema rejects
                raise ConfigError(
                    file,
                    f"the schema's default is not allowed: {problem.message}",
                    column=_dotted(problem.absolute_path),
                    expected=f"defaults in {schema_file} that validate",
                )
        return
    err = errors[0]
    key = _dotted(err.absolute_path)
    if err.validator == "additionalProperties":
        allowed = sorted(err.schema.get("properties", {}))
        extra = sorted(set(err.instance) - set(allowed))
        where = f"{key}.{extra[0]}" if err.absolute_path else extra[0]
        raise ConfigError(file, "unknown key", column=where, expected=f"one of {allowed}")
    if err.validator == "type":
        raise ConfigError(
            file,
            f"value {err.instance!r} has the wrong type",
            column=key,
            expected=f"{err.validator_value}",
        )
    if err.validator == "required":
        raise ConfigError(file, err.message, column=key)
    raise ConfigError(
        file,
        f"value {err.instance!r} is not allowed: {err.message}",
        column=key,
        expected=str(err.schema.get("description", "")) or None,
    )


def _check_missing_keys(config: Any, schema: Mapping, file: str | Path, where: tuple) -> None:
    """A key left out falls back to the schema's default (validate_config fills it in); where
    that default is only a placeholder the key must be given, and the message says so."""
    if not isinstance(config, Mapping):
        return
    for key, sub in schema.get("properties", {}).items():
        if key in config:
            _check_missing_keys(config[key], sub, file, (*where, key))
        elif "default" in sub:
            err = jsonschema.exceptions.best_match(
                jsonschema.Draft202012Validator(sub).iter_errors(sub["default"])
            )
            if err is not None:
                raise ConfigError(
                    file,
                    "key missing, and it has no usable default",
                    column=_dotted((*where, key)),
                    expected=str(sub.get("description", "")),
                )
            # a section left out is filled with its defaults, key by key
            _check_missing_keys(sub["default"], sub, file, (*where, key))


def _strings(obj: Any, prefix: tuple = ()) -> Iterator[tuple[str, str]]:
    if isinstance(obj, Mapping):
        for k, v in obj.items():
            yield from _strings(v, (*prefix, k))
    elif isinstance(obj, list | tuple):
        for i, v in enumerate(obj):
            yield from _strings(v, (*prefix, i))
    elif isinstance(obj, str):
        yield _dotted(prefix), obj


def check_config_paths(config: Mapping[str, Any], root: str | Path, file: str | Path) -> None:
    """Every path-like string value must be a relative path inside the repository."""
    for key, value in _strings(config):
        last = key.rsplit(".", 1)[-1]
        if (_PATH_KEY.search(last) or _PATH_VALUE.search(value)) and "://" not in value:
            confined(value, root, file=file, column=key)
