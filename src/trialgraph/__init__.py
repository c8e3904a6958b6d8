"""trialgraph: clinical-trial records as a validated, queryable RDF knowledge graph.

>>> import trialgraph as tg                                    # doctest: +SKIP
>>> g = tg.build(["seeds/"])                                    # doctest: +SKIP
>>> g.query("pd1_combinations_measuring_pfs")                   # doctest: +SKIP
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["TrialGraph", "__version__", "build", "load", "query"]

logging.getLogger(__name__).addHandler(logging.NullHandler())

if TYPE_CHECKING:
    from trialgraph.api import TrialGraph, build, load, query


def __getattr__(name: str) -> Any:
    # Imported on first use: `import trialgraph.text` or the CLI's --version need not load
    # rdflib, pyoxigraph and pandas.
    if name in ("TrialGraph", "build", "load", "query"):
        from trialgraph import api

        return getattr(api, name)
    raise AttributeError(f"module 'trialgraph' has no attribute {name!r}")
