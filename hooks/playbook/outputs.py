"""Settings of the files made beside the pages (the PDFs, the handbook and the offline zip), under
``extra.outputs`` in mkdocs.yml, validated like the brand::

    extra:
      outputs:
        enabled: !ENV [PLAYBOOK_OUTPUTS, true]   # false: pages only, a quick preview while writing
        workers: 2                                # processes that lay out PDFs; default: every CPU
                                                  # this process may use
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError


class OutputsError(Exception):
    """``extra.outputs`` in the configuration is wrong; the message names each field to fix."""


class Outputs(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    enabled: bool = Field(default=True, description="make the PDFs, the handbook and the offline zip")
    workers: int | None = Field(default=None, ge=1, le=256, description="processes laying out PDFs")
    _epoch: int = PrivateAttr(default=0)  # from the environment, never from mkdocs.yml: see load

    @property
    def processes(self) -> int:
        return self.workers or usable_cpus()

    @property
    def epoch(self) -> int:
        """``SOURCE_DATE_EPOCH`` (0: unset), the date of every file in the zip: reproducible builds'
        convention, read once and checked by ``load``."""
        return self._epoch


def load(extra: Mapping, config_file: str = "mkdocs.yml") -> Outputs:
    """The settings from ``extra.outputs`` (all optional); an invalid one is an error naming the field."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH") or "0"  # empty: unset
    if not epoch.isdigit():  # the date of every file in the zip (reproducible builds' convention)
        raise OutputsError(
            f"SOURCE_DATE_EPOCH must be whole seconds since 1970, as `date +%s` prints (got {epoch!r})"
        )
    try:
        settings = Outputs.model_validate(extra.get("outputs") or {})
    except ValidationError as err:
        lines = [
            f"{config_file}: extra.outputs{''.join(f'.{p}' for p in e['loc'])}: {e['msg']} "
            f"(got {e['input']!r})"
            for e in err.errors()
        ]
        raise OutputsError("\n".join(lines)) from None
    settings._epoch = int(epoch)
    return settings


def usable_cpus() -> int:
    """The CPUs this process may run on (a container or `taskset` may allow fewer than the machine has)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1
