"""A bounded load generator for `trialgraph serve` (tests/test_serve_load.py, bench/bench_serve.py).

N client threads, each with its own keep-alive HTTP/1.1 connection, send requests from a fixed mix
for a fixed duration, and every answer is counted, timed and checked: a status other than 200 or an
answer whose row count differs from the expected one is an error. Threads and http.client are
enough on loopback: a client spends its time waiting on the server, not on the GIL.
"""

from __future__ import annotations

import http.client
import json
import math
import statistics
import threading
import time
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class LoadRequest:
    """One request of the mix: GET a named query (`sparql` None) or POST SPARQL to /sparql."""

    label: str
    path: str  # "/api/queries/NAME?..." or "/sparql"
    expected_rows: int
    sparql: str | None = None


@dataclass
class LoadResult:
    clients: int
    duration: float
    latencies: list[float] = field(default_factory=list)  # seconds, every answered request
    errors: list[str] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return len(self.latencies)

    def percentile(self, p: float) -> float:
        """The p-th percentile of the latencies in milliseconds (nearest rank)."""
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        rank = max(0, min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1))
        return ordered[rank] * 1000

    @property
    def throughput(self) -> float:
        return self.requests / self.duration if self.duration else 0.0

    def summary(self) -> str:
        return (
            f"{self.clients} clients x {self.duration:.0f} s: {self.requests} requests, "
            f"{len(self.errors)} errors, {self.throughput:.0f} req/s, p50 {self.percentile(50):.0f} ms, "
            f"p99 {self.percentile(99):.0f} ms, mean {statistics.fmean(self.latencies) * 1000:.0f} ms"
            if self.latencies
            else f"{self.clients} clients: no request answered; errors: {self.errors[:3]}"
        )


def _rows(request: LoadRequest, body: bytes) -> int:
    document = json.loads(body)
    if request.sparql is None:
        return len(document["rows"])
    return len(document["results"]["bindings"])


def run_load(
    host: str,
    port: int,
    mix: Sequence[LoadRequest],
    *,
    clients: int,
    duration: float,
    timeout: float = 120.0,
) -> LoadResult:
    """Hit the server with `clients` concurrent clients for `duration` seconds."""
    result = LoadResult(clients, duration)
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)
    deadline: list[float] = []

    def client(index: int) -> None:
        connection = http.client.HTTPConnection(host, port, timeout=timeout)
        latencies: list[float] = []
        errors: list[str] = []
        start.wait()
        n = index  # clients start at different places in the mix
        while time.monotonic() < deadline[0]:
            request = mix[n % len(mix)]
            n += 1
            began = time.monotonic()
            try:
                if request.sparql is None:
                    connection.request("GET", request.path, headers={"Accept": "application/json"})
                else:
                    body = urllib.parse.urlencode({"query": request.sparql})
                    connection.request(
                        "POST",
                        request.path,
                        body=body,
                        headers={
                            "Accept": "application/sparql-results+json",
                            "Content-Type": "application/x-www-form-urlencoded",
                        },
                    )
                response = connection.getresponse()
                data = response.read()
                elapsed = time.monotonic() - began
                if response.status != 200:
                    errors.append(f"{request.label}: {response.status} {data[:200]!r}")
                elif (rows := _rows(request, data)) != request.expected_rows:
                    errors.append(f"{request.label}: {rows} rows, expected {request.expected_rows}")
                latencies.append(elapsed)
            except (OSError, http.client.HTTPException, ValueError, KeyError) as error:
                errors.append(f"{request.label}: {type(error).__name__}: {error}")
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=timeout)
        connection.close()
        with lock:
            result.latencies.extend(latencies)
            result.errors.extend(errors)

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    deadline.append(time.monotonic() + duration)
    began = time.monotonic()
    start.wait()
    for thread in threads:
        thread.join(duration + timeout + 10)
    result.duration = time.monotonic() - began  # the last answers arrive after the deadline
    return result
