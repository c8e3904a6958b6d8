"""Build throughput: trialgraph's conversion vs a naive rdflib converter vs only parsing the JSON.

    .venv/bin/python bench/bench_build.py build/bench/corpus-50k.zip --studies 10000 --runs 3

Every task reads the same first N studies of a bulk zip (bench/make_corpus.py) in a fresh process:

- parse:      read each zip member and json.loads it (the floor: nothing is converted);
- convert-1 / convert-N: trialgraph's read -> convert -> write graph.nt and graph.nq, with 1 and with
  N worker processes (`pipeline.write_graph_files`);
- naive:      the usual way: the same records through the same converter, but every statement built
  as rdflib terms, added with Graph.add, and the graph serialised as N-Triples at the end. Same
  records, same triples (the script checks the counts are equal), so the difference is the RDF layer.

With --floors, two more tasks take the conversion apart (N workers, as convert-N; they patch the
converter in their own process and are no product path; docs/decisions/0007-issue-5-floors.md):

- read-only:    reader, records, worker pipes and output files, with each trial converted to one line;
- no-endpoints: the whole conversion but the endpoint reader and the time frames.

Results (medians of --runs, with ratios) are printed as a Markdown table and saved as JSON.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

from measure import Stats, measure, save

HERE = Path(__file__).resolve().parent


def _members(corpus: Path, studies: int) -> Iterator[tuple[str, bytes]]:
    with zipfile.ZipFile(corpus) as archive:
        for info in archive.infolist()[:studies]:
            yield info.filename, archive.read(info)


def _subset(corpus: Path, studies: int, directory: Path) -> Path:
    """The first `studies` members as their own zip (stored, not compressed: reading it costs little)."""
    path = directory / f"subset-{studies}.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as out:
        for name, data in _members(corpus, studies):
            out.writestr(name, data)
    return path


# ---------------------------------------------------------------------------------------------
# Tasks (run in a child process: `bench_build.py --task NAME CORPUS OUT`)


def task_parse(corpus: Path, _out: Path, _workers: int) -> dict[str, object]:
    count = 0
    with zipfile.ZipFile(corpus) as archive:
        for info in archive.infolist():
            json.loads(archive.read(info))
            count += 1
    return {"studies": count}


def task_convert(corpus: Path, out: Path, workers: int) -> dict[str, object]:
    from trialgraph.pipeline import write_graph_files

    report = write_graph_files([corpus], out, workers=workers)
    return {"studies": report.read, "converted": report.converted, "triples": report.triples}


_TERM = re.compile(r'<([^>]*)>|"((?:[^"\\]|\\.)*)"(?:\^\^<([^>]*)>|@([A-Za-z0-9-]+))?')
_UNESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")
_SIMPLE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


def _unescape(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        return chr(int(code[1:], 16)) if code[0] in "uU" else _SIMPLE_ESCAPES.get(code, code)

    return _UNESCAPE.sub(one, text) if "\\" in text else text


def task_naive(corpus: Path, out: Path, _workers: int) -> dict[str, object]:
    """The converter's statements rebuilt as rdflib terms (what a converter written with rdflib
    constructs directly), Graph.add one by one, then Graph.serialize."""
    from rdflib import Graph, Literal, URIRef

    from trialgraph.convert import TrialConverter
    from trialgraph.ontology import ontology_ntriples
    from trialgraph.readers.registry import read_sources
    from trialgraph.records import TrialRecord

    def terms(line: str) -> tuple[URIRef, URIRef, URIRef | Literal]:
        found = [m for m in _TERM.finditer(line)]
        s, p, o = found[0], found[1], found[2]
        if o.group(1) is not None:
            obj: URIRef | Literal = URIRef(o.group(1))
        else:
            obj = Literal(_unescape(o.group(2)), datatype=o.group(3), lang=o.group(4))
        return URIRef(s.group(1)), URIRef(p.group(1)), obj

    converter = TrialConverter()
    graph = Graph()
    for line in ontology_ntriples():
        graph.add(terms(line))
    studies = 0
    for record in read_sources([corpus]):
        studies += 1
        if not isinstance(record, TrialRecord):
            continue
        conversion = converter.convert(record)
        for line in (*conversion.lines, *conversion.shared):
            graph.add(terms(line))
    out.mkdir(parents=True, exist_ok=True)
    graph.serialize(out / "graph.nt", format="nt", encoding="utf-8")
    return {"studies": studies, "triples": len(graph)}


def task_read_only(corpus: Path, out: Path, workers: int) -> dict[str, object]:
    from trialgraph import identifiers
    from trialgraph.convert import Conversion, TrialConverter
    from trialgraph.records import TrialRecord

    def one_line(_self: TrialConverter, record: TrialRecord) -> Conversion:
        return Conversion(identifiers.trial_iri(record), ("<urn:s> <urn:p> <urn:o> .",))

    TrialConverter.convert = one_line  # type: ignore[method-assign,assignment]
    return task_convert(corpus, out, workers)


def task_no_endpoints(corpus: Path, out: Path, workers: int) -> dict[str, object]:
    import trialgraph.convert as convert
    from trialgraph.normalise.endpoints import OutcomeReading

    convert.read_outcome = lambda *_args, **_kwargs: OutcomeReading(())  # type: ignore[attr-defined]
    convert.parse_time_frame = lambda _text: None  # type: ignore[attr-defined,assignment]
    return task_convert(corpus, out, workers)


TASKS = {
    "parse": task_parse,
    "convert": task_convert,
    "naive": task_naive,
    "read-only": task_read_only,
    "no-endpoints": task_no_endpoints,
}


def _run_task(argv: list[str]) -> None:
    name, corpus, out, workers = argv[0], Path(argv[1]), Path(argv[2]), int(argv[3])
    result = TASKS[name](corpus, out, workers)
    print(json.dumps(result, sort_keys=True))


# ---------------------------------------------------------------------------------------------


def _check_same_triples(*compared: Stats) -> None:
    """The comparison is fair only if all wrote the same graph: the naive graph's size (a set of
    triples) equals the lines trialgraph wrote (each triple once: shared statements are deduplicated)."""
    sizes = {run.result.get("triples") for stats in compared for run in stats.runs}
    if len(sizes) != 1:
        raise SystemExit(
            f"the naive converter and trialgraph wrote different graphs: triples {sorted(map(str, sizes))}"
        )


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--task":
        _run_task(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", type=Path, help="a bulk zip made by bench/make_corpus.py")
    parser.add_argument("--studies", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-naive", action="store_true", help="skip the (slow) rdflib converter")
    parser.add_argument(
        "--floors", action="store_true", help="also time the read-only and no-endpoints conversions"
    )
    parser.add_argument("--results", type=Path, default=Path("build/bench/results/build.json"))
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="tg-bench-build-"))
    try:
        corpus = _subset(args.corpus, args.studies, scratch)

        def command(task: str, workers: int = 1) -> list[str]:
            out = scratch / f"out-{task}-{workers}"
            return [
                sys.executable,
                str(HERE / "bench_build.py"),
                "--task",
                task,
                str(corpus),
                str(out),
                str(workers),
            ]

        stats: list[Stats] = [measure("parse", command("parse"), args.runs)]
        stats.append(measure("convert-1", command("convert", 1), args.runs))
        stats.append(measure(f"convert-{args.workers}", command("convert", args.workers), args.runs))
        for task in ("read-only", "no-endpoints") if args.floors else ():
            stats.append(measure(f"{task}-{args.workers}", command(task, args.workers), args.runs))
        if not args.no_naive:
            stats.append(measure("naive", command("naive"), args.runs))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    by_name = {s.name: s for s in stats}
    floor = by_name["parse"]
    naive = by_name.get("naive")
    if naive is not None:
        _check_same_triples(naive, by_name["convert-1"], by_name[f"convert-{args.workers}"])
    print(f"\n{args.studies} studies, medians of {args.runs} runs\n")
    print("| task | wall s | CPU s | peak RSS MB | studies/s | x parse (wall) | naive / this (wall) |")
    print("|---|---|---|---|---|---|---|")
    for s in stats:
        vs_naive = f"{naive.wall / s.wall:.1f}" if naive else "-"
        print(
            f"| {s.name} | {s.wall:.2f} | {s.cpu:.2f} | {s.rss:.0f} | {args.studies / s.wall:,.0f} | "
            f"{s.wall / floor.wall:.2f} | {vs_naive} |"
        )
    save(args.results, {"studies": args.studies, "runs": args.runs, "tasks": [s.to_json() for s in stats]})


if __name__ == "__main__":
    main()
