"""Imported by the process that forks the press's workers, and only there (see ``pdf._context``):
it loads WeasyPrint a third faster than a plain import, and lets that process end at once.

WeasyPrint finds each C library it uses (GLib, Pango, HarfBuzz, fontconfig) by trying several names
in turn, and cffi answers every name that does not load at once by asking
``ctypes.util.find_library``, which on Linux runs ``ldconfig`` and the linker: 0.35 s of a 1.05 s
import here. Each list also holds the library's own file name, which the system's loader finds by
itself, so while WeasyPrint loads, ``find_library`` says at once that it knows nothing. Should that
ever fail somewhere, the plain import follows (``weasyprint`` is preloaded after this module).

The server ends when the build's process does. Python would then unload WeasyPrint's modules and
libraries, for about a third of a second in which the build's output (a terminal's pipe, a CI log)
stays open; the server has nothing to write but its standard streams, so it leaves without that.
Only the server does: imported anywhere else, this module just loads WeasyPrint.
"""

import atexit
import contextlib
import ctypes.util
import inspect
import multiprocessing.forkserver
import os
import sys

_find_library = ctypes.util.find_library
ctypes.util.find_library = lambda name: None
try:
    with contextlib.suppress(OSError):  # a library found only by find_library: see above
        import weasyprint  # noqa: F401
finally:
    ctypes.util.find_library = _find_library


def _leave_at_once() -> None:
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if any(frame.f_code is multiprocessing.forkserver.main.__code__ for frame, *_ in inspect.stack(0)):
    atexit.register(_leave_at_once)  # preloaded by the server, which is the only caller of main
