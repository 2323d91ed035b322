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
from typing import Annotated

from msgspec import Meta, Struct

from . import settings


class OutputsError(Exception):
    """``extra.outputs`` in the configuration is wrong; the message names each field to fix."""


Switch = Annotated[bool, Meta(description="true or false")]
Count = Annotated[int, Meta(ge=1, le=256, description="a whole number from 1 to 256")]


class Outputs(Struct, frozen=True, forbid_unknown_fields=True):
    enabled: Switch = True  # make the PDFs, the handbook and the offline zip
    workers: Count | None = None  # processes that lay out PDFs (None: every CPU this process may use)
    # SOURCE_DATE_EPOCH (0: unset), the date of every file in the zip: reproducible builds'
    # convention, read once by ``load`` and never from mkdocs.yml
    epoch: int = 0

    @property
    def processes(self) -> int:
        return self.workers or usable_cpus()


def load(extra: Mapping, config_file: str = "mkdocs.yml") -> Outputs:
    """The settings from ``extra.outputs`` (all optional); an invalid one is an error naming the field."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH") or "0"  # empty: unset
    if not epoch.isdigit():  # the date of every file in the zip (reproducible builds' convention)
        raise OutputsError(
            f"SOURCE_DATE_EPOCH must be whole seconds since 1970, as `date +%s` prints (got {epoch!r})"
        )
    where = f"{config_file}: extra.outputs"
    return settings.read(extra.get("outputs"), Outputs, where, OutputsError, epoch=int(epoch))


def usable_cpus() -> int:
    """The CPUs this process may run on (a container or `taskset` may allow fewer than the machine has)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1
