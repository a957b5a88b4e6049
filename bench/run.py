"""presscheck's benchmarks (issue 10): `python bench/run.py [--quick] [--only NAME ...]`.

Makes its own inputs in a temporary folder, runs each measure several times, prints a
table of median and max with the target and the same-run reference beside each figure and
a verdict, and writes every sample to a JSON file (bench/last-run.json by default).

The exit status is 0 whatever the verdicts (CI runs this and must not fail on timing); it
is 1 only when the harness itself broke (an exception raised by the harness's own code),
2 for a usage error, 130 when interrupted. A measure that fails because presscheck crashed,
hung or printed an error is reported in the table (ERROR, or FAIL with the failed runs
listed), not by the exit status.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from context import Context, log
from report import ERROR, Figure, table
from terminal import TerminalError

MEASURES: dict[str, str] = {
    "first_frame": "measures.first_frame",
    "keys": "measures.keys",
    "memory": "measures.memory",
    "saves": "measures.saves",
    "processes": "measures.processes",
    "startup": "measures.startup",
    "serve_load": "measures.serve_load",
    "real_pages": "measures.real_pages",
    "big_database": "measures.big_database",
}
"""Name → module with `measure(ctx) -> list[Figure]`, in the order they run."""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench/run.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats (a few minutes)")
    parser.add_argument("--json", metavar="PATH", default=str(BENCH / "last-run.json"),
                        help="where to write every sample and figure (default bench/last-run.json)")
    parser.add_argument("--only", nargs="+", metavar="NAME", choices=list(MEASURES),
                        help=f"run only these measures: {', '.join(MEASURES)}")
    return parser.parse_args(argv)


def _version(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"unavailable ({error})"
    if done.returncode != 0:
        return f"unavailable (exit status {done.returncode})"
    output = (done.stdout or done.stderr).strip()
    return output.splitlines()[0] if output else "?"


def _package(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def file_system(path: Path) -> str:
    """The type of the file system `path` is on (ext4, tmpfs, …): fsync costs differ."""
    best, kind = "", "?"
    try:
        for line in Path("/proc/mounts").read_text().splitlines():
            fields = line.split()
            if len(fields) > 2 and str(path).startswith(fields[1]) and len(fields[1]) > len(best):
                best, kind = fields[1], fields[2]
    except OSError:
        pass
    return kind


def machine(ctx: Context) -> dict[str, object]:
    repo = BENCH.parent
    return {
        "cores": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "python_executable": str(ctx.python),
        "presscheck": _version([str(ctx.presscheck), "--version"]),
        "textual": _package("textual"),
        "tinydb": _package("tinydb"),
        "tmux": _version(["tmux", "-V"]),
        "less": _version(["less", "--version"]),
        "commit": _version(["git", "-C", str(repo), "describe", "--always", "--dirty"]),
        "temp_file_system": file_system(ctx.work),
    }


def _broke_in_harness(error: BaseException) -> bool:
    """Whether the exception came from the harness's own code (its innermost frame is in
    bench/), rather than from presscheck, a library or the terminal."""
    if isinstance(error, TerminalError):
        return False
    frames = traceback.extract_tb(error.__traceback__)
    return bool(frames) and Path(frames[-1].filename).resolve().is_relative_to(BENCH)


def run_measure(name: str, ctx: Context) -> tuple[list[Figure], bool]:
    """The measure's figures, and whether the harness broke; an exception becomes an ERROR
    row with its last line (the traceback goes to stderr and the JSON)."""
    import importlib

    try:
        module = importlib.import_module(MEASURES[name])
        measure: Callable[[Context], list[Figure]] = module.measure
        return measure(ctx), False
    except Exception as error:  # noqa: BLE001 - reported, the other measures still run
        text = traceback.format_exc()
        print(text, file=sys.stderr)
        figure = Figure(f"{name}.error", f"{name}: measure did not complete", verdict=ERROR)
        figure.failures.append(f"{type(error).__name__}: {error}".splitlines()[0][:300])
        figure.extra["traceback"] = text
        return [figure], _broke_in_harness(error)


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM and SIGHUP (a CI job cancelled, a closed terminal) end the run as Ctrl+C
    does: the tmux server is killed, the temp folder removed, the figures so far shown."""
    raise KeyboardInterrupt


def compile_presscheck() -> str:
    """Byte-compile presscheck's modules before timing them, as `pip install` does for a
    regular install and as Python does on the first run. Without it an editable install
    run with PYTHONDONTWRITEBYTECODE set (as on some CI machines) compiles every module of
    presscheck from source at each start (~40 ms), while Textual, installed by pip, starts
    from bytecode: the first-frame comparison would measure the compiler."""
    import compileall

    import reader

    folder = Path(reader.__file__).parent
    ok = compileall.compile_dir(str(folder), quiet=1, force=False)
    return f"presscheck's bytecode: {'compiled' if ok else 'could not be written (timings include compiling)'} in {folder}"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    if not Context(BENCH, args.quick).presscheck.exists():
        print(f"bench/run.py: no presscheck next to {sys.executable}; run it with the Python of the "
              "environment presscheck is installed in (e.g. .venv/bin/python bench/run.py)", file=sys.stderr)
        return 2
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _interrupt)
    compiled = compile_presscheck()
    names = args.only or list(MEASURES)
    figures: list[Figure] = []
    broke = False
    interrupted = False
    with tempfile.TemporaryDirectory(prefix="presscheck-bench-") as work:
        ctx = Context(Path(work), args.quick)
        info = machine(ctx)
        print(f"presscheck bench ({'quick' if args.quick else 'full'}): {', '.join(names)}")
        print(f"machine: {info['cores']} cores ({info['cpus_usable']} usable), {info['platform']}, "
              f"temp files on {info['temp_file_system']}")
        print(f"python {info['python']} ({info['python_executable']}), textual {info['textual']}, "
              f"tinydb {info['tinydb']}, {info['tmux']}, {str(info['less']).split('(')[0].strip()}")
        loads = [os.getloadavg()]
        print(f"presscheck --version: {info['presscheck']}; commit {info['commit']}; load average "
              + " ".join(f"{x:.2f}" for x in loads[0]))
        print(compiled)
        sys.stdout.flush()
        timings: dict[str, float] = {}
        try:
            for name in names:
                log(f"measure {name}")
                began = time.perf_counter()
                produced, harness_error = run_measure(name, ctx)
                timings[name] = time.perf_counter() - began
                loads.append(os.getloadavg())
                figures += produced
                broke = broke or harness_error
        except KeyboardInterrupt:
            interrupted = True
            log("interrupted: the figures of the measures completed so far follow")
        finally:
            polls = ctx.poll_summary()
            ctx.close()
    wall = time.perf_counter() - started
    print()
    print(table(figures))
    print()
    if polls:
        print(f"screen poll resolution: median {polls['median_ms']:.2f} ms, p95 {polls['p95_ms']:.2f} ms, "
              f"max {polls['max_ms']:.2f} ms over {polls['polls']} polls")
    print(f"wall time {wall:.0f} s ({', '.join(f'{n} {t:.0f} s' for n, t in timings.items())}); "
          f"load average now {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    busiest = max(load[0] for load in loads)
    if busiest > (os.cpu_count() or 1):
        print(f"note: the machine was busy (1-minute load average up to {busiest:.1f} on {os.cpu_count()} "
              "cores): figures with an absolute target may be inflated; each reference beside them was "
              "measured in the same run, under the same load")
    verdicts = [f.verdict for f in figures]
    counts = [f"{verdicts.count(v)} {v}" for v in ("PASS", "FAIL", "ERROR", "info") if v in verdicts]
    print("verdicts: " + ", ".join(counts))

    document = {
        "quick": args.quick,
        "measures": names,
        "interrupted": interrupted,
        "machine": info,
        "load_averages": {"start": loads[0], **{n: load for n, load in zip(timings, loads[1:], strict=False)}},
        "wall_seconds": wall,
        "measure_seconds": timings,
        "poll_resolution": polls,
        "figures": [f.to_json() for f in figures],
    }
    try:
        Path(args.json).write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"figures written to {args.json}")
    except OSError as error:
        print(f"cannot write {args.json}: {error.strerror}", file=sys.stderr)
        return 1
    if interrupted:
        return 130
    return 1 if broke else 0


if __name__ == "__main__":
    raise SystemExit(main())
