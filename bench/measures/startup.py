"""Start-up of the command line when it shows no UI.

- `presscheck --version`, wall clock from spawn to exit (one untimed warm-up first);
  reference: `python -c pass` with the same interpreter, the floor any Python CLI pays;
- `presscheck export` of a database with one annotation: the start-up an export pays
  before its real work (information);
- whether Textual is imported at all by `export` and by `--version`: `python -X importtime
  -m reader …` lists every module imported; a module named `textual` or `textual.*` in
  that list is a FAIL (the CLI must load Textual only to show the UI).
"""

from __future__ import annotations

from context import Context, log, tail
from report import Figure, fmt, fmt_ratio, ratio

from measures.processes import timed


def imported_modules(stderr: bytes) -> list[str]:
    """Module names from `-X importtime` output (`import time: self | cumulative | name`)."""
    modules = []
    for line in stderr.decode("utf-8", errors="replace").splitlines():
        if line.startswith("import time:") and line.count("|") >= 2:
            name = line.rsplit("|", 1)[1].strip()
            if name != "imported package":
                modules.append(name)
    return modules


def imports_textual(ctx: Context, args: list[str], label: str, key: str) -> Figure:
    figure = Figure(key, label, unit="")
    figure.target = "no"
    _, done = ctx.run([str(ctx.python), "-X", "importtime", "-m", "reader", *args])
    if done.returncode != 0:
        figure.failures.append(f"exit status {done.returncode}: {tail(done.stderr)}")
        figure.judge(False)
        return figure
    modules = imported_modules(done.stderr)
    textual = [m for m in modules if m == "textual" or m.startswith("textual.")]
    figure.samples.append(1.0 if textual else 0.0)
    figure.extra = {"modules": len(modules), "textual_modules": textual[:20]}
    rich = any(m == "rich" or m.startswith("rich.") for m in modules)
    figure.reference = f"{len(modules)} modules; rich {'imported' if rich else 'not imported'}"
    if textual:
        figure.notes.append(f"imports {', '.join(textual[:5])}{' …' if len(textual) > 5 else ''}")
    figure.judge(not textual)
    return figure


def measure(ctx: Context) -> list[Figure]:
    from inputs import copy_database

    bin_ = str(ctx.presscheck)
    folder = ctx.folder("startup")
    log("start-up: presscheck --version, python -c pass, export of a tiny database")
    version = Figure("startup.version", "presscheck --version")
    version.target = "≤ 150 ms"
    floor = Figure("startup.python", "python -c pass (reference)")
    warm = Figure("warmup", "")
    timed(ctx, warm, [bin_, "--version"])
    timed(ctx, warm, [str(ctx.python), "-c", "pass"])
    version.failures += warm.failures
    for _ in range(ctx.repeats(10, 5)):  # interleaved: the same machine state for both
        timed(ctx, version, [bin_, "--version"])
        timed(ctx, floor, [str(ctx.python), "-c", "pass"])
    version.reference = f"python -c pass {fmt(floor.median, 'ms')} {fmt_ratio(ratio(version.median, floor.median))}"
    version.judge(None if version.median is None else version.median <= 150)
    floor.judge(None)

    source, _ = ctx.database(1)
    tiny = copy_database(source, folder / "tiny.json")
    export = Figure("startup.export", "presscheck export, 1 annotation")
    timed(ctx, Figure("warmup", ""), [bin_, "export", "--db", str(tiny), "-o", str(folder / "tiny-export.json")])
    for index in range(ctx.repeats(5, 3)):
        timed(ctx, export, [bin_, "export", "--db", str(tiny), "-o", str(folder / f"tiny-{index}.json")])
    export.reference = f"--version {fmt(version.median, 'ms')} {fmt_ratio(ratio(export.median, version.median))}"
    export.judge(None)

    no_ui = [
        imports_textual(ctx, ["export", "--db", str(tiny), "-o", str(folder / "importtime.json")],
                        "export imports Textual", "startup.export_imports_textual"),
        imports_textual(ctx, ["--version"], "--version imports Textual", "startup.version_imports_textual"),
    ]
    return [version, floor, export, *no_ui]
