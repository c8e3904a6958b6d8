"""trialgraph: clinical-trial records as a validated, queryable RDF knowledge graph.

>>> import trialgraph as tg                                    # doctest: +SKIP
>>> g = tg.build(["seeds/"])                                    # doctest: +SKIP
>>> g.query("pd1_combinations_measuring_pfs")                   # doctest: +SKIP
"""

from __future__ import annotations

import logging

from trialgraph.api import TrialGraph, build, load

__version__ = "0.1.0"
__all__ = ["TrialGraph", "__version__", "build", "load"]

logging.getLogger(__name__).addHandler(logging.NullHandler())
