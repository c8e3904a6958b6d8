"""Entry point of a query worker process: `python -m trialgraph.serve.worker_main FD GRAPH_DIR`."""

from __future__ import annotations

import sys
from multiprocessing.connection import Connection

from trialgraph.serve.workers import worker_main

if __name__ == "__main__":
    worker_main(Connection(int(sys.argv[1])), sys.argv[2])
