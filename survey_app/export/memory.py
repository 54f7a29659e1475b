"""Giving freed memory back between the steps of an export, so a million responses stay bounded.

numpy and pandas allocate from glibc's heap, Arrow from its own pool; neither can reuse what
the other freed. Within a step, freed blocks are reused (fast: fresh pages cost a page
fault each, and on our virtual machines a slow one); between steps, what the last step
freed is given back, so the next step's arrays do not come on top of it.
"""

import ctypes

import pyarrow as pa


def _malloc_trim():
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc: nothing to trim
        return None


MALLOC_TRIM = _malloc_trim()


def release_memory() -> None:
    """Give the free memory of Arrow's pool and of glibc's heap back to the system."""
    pa.default_memory_pool().release_unused()
    if MALLOC_TRIM is not None:
        MALLOC_TRIM(0)
