"""What answer tables filled batch by batch would cost (docs/decisions/0007-issue-5-floors.md, option 1a).

    .venv/bin/python bench/bench_batch_answers.py build/bench/corpus-50k.zip --batches 20

The build converts trials in batches of 64. This script takes the first --batches batches of a corpus,
converts them, and for each one:
- loads its statements into a named graph of an in-memory pyoxigraph store that holds the vocabulary;
- runs every shipped named query unbound over the vocabulary and that graph;
- drops the graph.

It prints the median cost per batch of the load and of each query, and the total per study, next to
the conversion's own cost per study measured in the same run. Nothing here is a product path.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import pyoxigraph as ox

from trialgraph.convert import Conversion, TrialConverter
from trialgraph.ontology import ontology_ntriples
from trialgraph.queries import library
from trialgraph.readers.registry import read_sources
from trialgraph.records import TrialRecord

BATCH = 64


def _batches(corpus: Path, count: int) -> tuple[list[list[Conversion]], float]:
    """The converted batches, and the conversion's CPU seconds per study."""
    converter = TrialConverter()
    records: list[TrialRecord] = []
    for record in read_sources([corpus]):
        if isinstance(record, TrialRecord):
            records.append(record)
            if len(records) == count * BATCH:
                break
    start = time.process_time()
    conversions = [converter.convert(r) for r in records]
    per_study = (time.process_time() - start) / len(records)
    return [conversions[i : i + BATCH] for i in range(0, len(conversions), BATCH)], per_study


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", type=Path, help="a bulk zip made by bench/make_corpus.py")
    parser.add_argument("--batches", type=int, default=20)
    args = parser.parse_args()

    batches, convert_s = _batches(args.corpus, args.batches)
    store = ox.Store()
    vocabulary = "".join(line + "\n" for line in ontology_ntriples())
    store.bulk_load(vocabulary.encode("utf-8"), ox.RdfFormat.N_TRIPLES)
    queries = library()
    load_s: list[float] = []
    query_s: dict[str, list[float]] = {name: [] for name in queries}
    for index, batch in enumerate(batches):
        graph = ox.NamedNode(f"urn:trialgraph:bench:batch:{index}")
        text = "".join(line + "\n" for c in batch for line in (*c.lines, *c.shared))
        start = time.process_time()
        store.bulk_load(text.encode("utf-8"), ox.RdfFormat.N_TRIPLES, to_graph=graph)
        load_s.append(time.process_time() - start)
        for name, named in queries.items():
            start = time.process_time()
            solutions = store.query(named.text, default_graph=[ox.DefaultGraph(), graph])
            assert isinstance(solutions, ox.QuerySolutions), f"{name} is not a SELECT query"
            for _ in solutions:
                pass
            query_s[name].append(time.process_time() - start)
        store.remove_graph(graph)

    medians = {"load the batch": statistics.median(load_s)}
    medians.update((name, statistics.median(times)) for name, times in query_s.items())
    print(f"{len(batches)} batches of {BATCH} trials; medians of CPU time per batch\n")
    print("| step | ms per batch |\n|---|---|")
    for step, seconds in medians.items():
        print(f"| {step} | {seconds * 1000:.1f} |")
    per_study = sum(medians.values()) / BATCH
    print(
        f"\nanswers: {per_study * 1000:.2f} ms per study; the conversion itself: "
        f"{convert_s * 1000:.2f} ms per study (+{per_study / convert_s:.0%})"
    )


if __name__ == "__main__":
    main()
