"""The ``jdkit`` command: thin, each command calls one library function.

Errors become one line on stderr and the exit code they carry (``fail_cleanly``, the one
place): 0 fine, 1 findings or failed practices, 2 bad input or usage. Set ``JDKIT_DEBUG=1``
to see tracebacks.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

import click

from . import __version__
from .errors import BadInput, Failed, InternalError, Interrupted, JdkitError, Reported, UsageError
from .terminal import clean, escape_json

P = ParamSpec("P")
R = TypeVar("R")


# The library names options as its functions do (``out``, ``format``); the user typed flags.
FLAGS = {
    "format": "--to",
    "kind": "--kind",
    "out": "--out",
    "paper": "--paper",
    "templates": "--templates",
    "docx_template": "--docx-template",
    "notebook": "--notebook",
    "port": "--port",
    "scheduler": "--scheduler",
    "runner": "--runner",
}
# where a command's flag differs, or a model field is given as an option or argument
COMMAND_FLAGS = {
    "due": {"format": "--format"},
    "new": {
        "role": "ROLE",
        "practice.name": "--practice",
        "practice.state": "--state",
        "practice.city": "--city",
    },
}

# The core's hints and a batch's reasons say an option in plain words, as a library or form user
# knows it; the command line says its flag instead (``say``, where ``flags`` names the fields).
SAID = {
    "inside the output folder": "inside --out",
    "another output folder": "another --out",
    "an output folder": "an --out folder",
    "the time limit per practice": "--timeout",
    "start from a starter file for the role": (
        "start from 'jdkit new medical-office-manager --practice NAME --state XX'"
    ),
    "see the practice's name, state and city in the parameter schema": "see 'jdkit new --help'",
}

# The one --paper option, shared by `render` and `batch` (PDF and Word files).
PAPER = click.option(
    "--paper",
    type=click.Choice(["Letter", "A4"], case_sensitive=False),
    default="Letter",
    show_default=True,
    help="Paper size of PDF and Word files.",
)


class _Runners(click.Choice[str]):
    """``--runner``'s choices, ``jdkit.batch.execute.RUNNERS``, read when first needed: importing
    ``jdkit.batch`` as this module loads would slow every command (``jdkit --help`` too)."""

    def __init__(self) -> None:
        super().__init__((), case_sensitive=True)

    @property
    def choices(self) -> tuple[str, ...]:
        from .batch.execute import RUNNERS

        return RUNNERS

    @choices.setter
    def choices(self, value: tuple[str, ...]) -> None:
        """The names are ``RUNNERS``; ``click.Choice.__init__``'s empty tuple is dropped."""


def flags() -> dict[str, str]:
    """The field -> flag names of the command now running (``FLAGS`` with its own overrides)."""
    context = click.get_current_context(silent=True)
    return {**FLAGS, **COMMAND_FLAGS.get((context.info_name or "") if context else "", {})}


def say(text: str) -> str:
    """``text`` (a hint, a batch's reason) with the plain words of ``SAID`` said as flags."""
    for words, said in SAID.items():
        text = text.replace(words, said)
    return text


def error_line(exc: JdkitError) -> str:
    """``error: <the error's one line>``, its field and the options its hint names said as the
    command's flags, control characters shown."""
    shown = JdkitError(
        exc.message,
        file=exc.file,
        field=exc.field,
        line=exc.line,
        hint=say(exc.hint) if exc.hint else exc.hint,
    )
    return f"error: {clean(shown.format(flags()))}"


def fail_cleanly(func: Callable[P, R]) -> Callable[P, R]:
    """The one place errors become exit codes: one line on stderr, then the error's ``exit_code``.

    A ``Reported`` outcome (its reasons already printed) prints nothing more; an OS error is bad
    input (2); any other exception is a bug, one line too (``JDKIT_DEBUG=1`` lets it through).
    """

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise  # click's own: usage errors (exit 2) and exits, reported by click
        except Reported as exc:
            code = exc.exit_code
        except JdkitError as exc:
            click.echo(error_line(exc), err=True)
            code = exc.exit_code
        except OSError as exc:
            # input or output the OS refused: bad input, one line, not an internal error
            where = f"{clean(exc.filename)}: " if exc.filename else ""
            click.echo(
                f"error: {where}{exc.strerror or clean(exc)} (fix: check the path and its "
                "permissions)",
                err=True,
            )
            code = BadInput.exit_code
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            code = Interrupted.exit_code
        except Exception as exc:  # a bug, not bad input: still one line, never a traceback
            if os.environ.get("JDKIT_DEBUG"):
                raise
            click.echo(
                f"internal error: {type(exc).__name__}: {exc} (set JDKIT_DEBUG=1 for details)",
                err=True,
            )
            code = InternalError.exit_code
        sys.exit(code)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="jdkit")
def cli() -> None:
    """Write complete, specific, lawful job descriptions for medical practices."""


@cli.command("roles")
@fail_cleanly
def roles_cmd() -> None:
    """List the role library: id, title and O*NET-SOC code."""
    from . import roles

    rows = [(r.id, r.info["title"], r.info["onet_soc"]) for r in roles.all_roles()]
    width = max((len(r[0]) for r in rows), default=2)
    title_width = max((len(r[1]) for r in rows), default=5)
    click.echo(f"{'ID':<{width}}  {'TITLE':<{title_width}}  O*NET-SOC")
    for role_id, title, code in rows:
        click.echo(f"{role_id:<{width}}  {title:<{title_width}}  {code}")


@cli.command("new")
@click.argument("role")
@click.option("--practice", "practice", required=True, help="The practice's name.")
@click.option("--state", required=True, help="Two-letter US state code (DC included).")
@click.option(
    "--city",
    default=None,
    help="The practice's city: local pay laws and minimum wages depend on it.",
)
@fail_cleanly
def new_cmd(role: str, practice: str, state: str, city: str | None) -> None:
    """Print a starter parameter file for ROLE at a practice.

    The pay keys are left empty, with comments saying what the law where the practice
    is asks for today: a posted range, the exempt salary level or the minimum wage.
    """
    from .starter import starter

    # fields named as options: COMMAND_FLAGS
    click.echo(starter(role, practice, state, city=city), nl=False)


@cli.command("render")
@click.argument("params", nargs=-1, required=True)
@click.option("--to", "to", default="html,md", show_default=True, help="Comma-separated formats.")
@click.option(
    "--out",
    "out",
    default="out",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Output folder.",
)
@click.option(
    "--templates",
    type=click.Path(),
    default=None,
    help="Folder of templates overriding the built-in ones by name.",
)
@click.option(
    "--embed-jsonld",
    is_flag=True,
    help="Put the schema.org JobPosting in the HTML (and PDF source).",
)
@click.option(
    "--docx-template",
    type=click.Path(dir_okay=False),
    default=None,
    help="Reference .docx whose fonts, styles, header and footer the Word files use.",
)
@PAPER
@click.option(
    "--kind",
    default="description",
    show_default=True,
    help="description (internal), posting (for candidates: <slug>-posting.*) or both.",
)
@fail_cleanly
def render_cmd(
    params: tuple[str, ...],
    to: str,
    out: str,
    templates: str | None,
    embed_jsonld: bool,
    docx_template: str | None,
    paper: str,
    kind: str,
) -> None:
    """Render practices (files, folders, .csv/.xlsx rows) straight to documents, no kernel.

    Formats: html, md, jsonld, docx, pdf. PDFs share one headless Chromium for the run.
    Practices are read, built and written one at a time (memory stays flat in N).
    """
    from .errors import ParamsError
    from .export import export_all, parse_formats
    from .params import build
    from .sources import iter_sources

    kinds = _kinds(kind)
    formats = parse_formats(to)
    _cache_templates()
    bad: list[JdkitError] = []
    sources = iter_sources(list(params), bad)
    seen: dict[str, str] = {}

    def models() -> Any:
        for item in sources:
            try:
                model = build(item)
            except ParamsError as exc:
                bad.append(exc)
                continue
            if model.slug in seen:
                bad.append(
                    JdkitError(
                        f"gives the same output name '{model.slug}' as {seen[model.slug]}",
                        file=item.file,
                        field="practice.name",
                        hint="rename one: names that differ only in case, spaces or punctuation "
                        "share file names",
                    )
                )
                continue
            seen[model.slug] = item.file
            yield model

    written = export_all(
        models(),
        formats,
        out,
        kinds=kinds,
        templates=templates,
        embed_jsonld=embed_jsonld,
        docx_template=docx_template,
        paper=paper,
        errors=bad,
    )
    for error in bad:
        click.echo(error_line(error), err=True)
    click.echo(
        f"rendered {len(seen)} practice(s) to {', '.join(formats)}: {len(written)} file(s) in {out}"
    )
    if bad:
        raise BadInput(f"{len(bad)} input(s) could not be rendered")


def _cache_templates() -> None:
    """Keep compiled templates in the user's cache directory: ~70 ms
    less for each run that renders."""
    from .templating import use_user_cache

    use_user_cache()


def _kinds(kind: str) -> list[str]:
    """``--kind``: description, posting or both; anything else is one line and exit 2."""
    from .document import KINDS

    if kind == "both":
        return list(KINDS)
    if kind not in KINDS:
        raise UsageError(
            f"unknown kind {kind!r}", field="kind", hint="use description, posting or both"
        )
    return [kind]


@cli.command("schema")
@fail_cleanly
def schema_cmd() -> None:
    """Print the JSON Schema of a parameter file."""
    from .params import schema

    click.echo(json.dumps(schema(), indent=2))


@cli.command("check")
@click.argument("params", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Report format; the JSON shape is documented in docs/checks.md.",
)
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Check as of this date (YYYY-MM-DD); default: today.",
)
@click.option(
    "--min-score",
    type=click.IntRange(0, 100),
    default=0,
    show_default=True,
    help="Fail a document whose score is below this.",
)
@click.option(
    "--tables",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder of your own reference tables (e.g. minimum_wage.csv) replacing jdkit's by name.",
)
@fail_cleanly
def check_cmd(
    params: tuple[str, ...], fmt: str, today: Any, min_score: int, tables: str | None
) -> None:
    """Check practices (files, folders, .csv/.xlsx rows): findings by section and a 0-100 score.

    Exit 1 when any document has an error-level finding or a score below --min-score,
    2 when a file is bad input (the others are still checked), else 0.
    """
    from .checks.report import check_models
    from .data import Tables
    from .sources import load_sources

    own_tables = Tables(tables) if tables else None
    good, bad = load_sources(list(params))  # reading is here: the checks read no files
    report = check_models(
        good,
        errors=bad,
        today=today.date() if today else None,
        min_score=min_score,
        tables=own_tables,
    )
    for error in report.errors:
        click.echo(error_line(error), err=True)
    if fmt == "json":
        click.echo(escape_json(json.dumps(report.to_dict(), indent=2, ensure_ascii=False)))
    else:
        click.echo(report.format_text(), nl=False)
    if report.errors:
        raise BadInput(f"{len(report.errors)} file(s) with bad input")
    if report.failed:
        raise Failed(f"{len(report.failed)} document(s) failed")


@cli.command("explain")
@click.argument("params", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for a terminal; json lists each section's origin and the fields still the "
    "library's.",
)
@fail_cleanly
def explain_cmd(params: tuple[str, ...], fmt: str) -> None:
    """Show what each practice set itself and which sections are still the role library's text.

    A section the practice has not confirmed is the library's generic wording: read it with
    the practice before publishing. Exit 2 when a file is bad input (the others are still shown).
    """
    from .origins import explain, format_explain
    from .sources import load_sources

    good, bad = load_sources(list(params))
    if fmt == "json":
        click.echo(
            escape_json(
                json.dumps(
                    [
                        {
                            "file": path,
                            "practice": model.practice.name,
                            "role": model.role.id,
                            "sections": explain(model),
                        }
                        for path, model in good
                    ],
                    indent=2,
                    ensure_ascii=False,
                )
            )
        )
    else:
        click.echo("".join(format_explain(model, path) for path, model in good), nl=False)
    for error in bad:
        click.echo(error_line(error), err=True)
    if bad:
        raise BadInput(f"{len(bad)} file(s) with bad input")


@cli.command("market")
@click.argument("role_or_soc")
@click.option("--state", required=True, help="Two-letter US state code (DC included).")
@click.option(
    "--city",
    default=None,
    help="The practice's city: its metropolitan area is used when OEWS has one.",
)
@click.option(
    "--metro", default=None, help="An OEWS metropolitan area (code or name) instead of the city."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "csv"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@fail_cleanly
def market_cmd(role_or_soc: str, state: str, city: str | None, metro: str | None, fmt: str) -> None:
    """What ROLE_OR_SOC (a role id or an SOC code) pays where a practice is: BLS OEWS, May 2025.

    Shows the 10th to 90th percentiles, hourly and yearly, for the metropolitan area of
    --city (else the state, else the nation, saying which), and jdkit's estimate for
    offices of physicians. A market figure is a reference, never the practice's own pay.
    """
    from .market_report import format_csv, format_json, format_text, lookup

    bands = lookup(role_or_soc, state, city, metro)
    click.echo({"text": format_text, "json": format_json, "csv": format_csv}[fmt](bands), nl=False)


@cli.command("form")
@click.argument("params", required=False, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=None,
    help="Port on 127.0.0.1 (default: a free one).",
)
@click.option("--no-browser", is_flag=True, help="Print the URL without opening a browser.")
@click.option(
    "--no-token", is_flag=True, help="Serve without a token (any local user could use the form)."
)
@click.option("--lab", is_flag=True, help="Open the form notebook in JupyterLab instead of Voila.")
@fail_cleanly
def form_cmd(
    params: str | None, port: int | None, no_browser: bool, no_token: bool, lab: bool
) -> None:
    """Serve the widget form on 127.0.0.1 (Voila); Open and Save stay
    in the current folder's params/.

    PARAMS, if given, is opened at start (and may be saved to even outside the current folder).
    """
    import signal
    import webbrowser

    from .form.server import start_server

    # Every way of being asked to stop gets the same clean stop: SIGTERM, a closed terminal
    # (SIGHUP), and Ctrl-C, even when the shell started us with SIGINT ignored (a background job).
    for name in ("SIGINT", "SIGTERM", "SIGHUP"):  # (no SIGHUP on Windows)
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.default_int_handler)
    server = start_server(port=port, lab=lab, workdir=os.getcwd(), token=not no_token, file=params)
    try:
        click.echo(f"jdkit form is running at {server.url}  (Ctrl-C stops it)")
        if not no_browser:
            webbrowser.open(server.url)
        code = server.wait()
        server.stop()  # already ended: only tidies its template folder
    except KeyboardInterrupt:
        click.echo("stopping the form server ...", err=True)
        server.stop()
        click.echo("stopped", err=True)
        return
    if code:
        raise JdkitError(
            f"the form server stopped with code {code}", field="form", hint="see its messages above"
        )


@cli.command("due")
@click.argument("params", nargs=-1, required=True)
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Report as of this date (YYYY-MM-DD); default: today.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "csv", "json"]),
    default="text",
    show_default=True,
    help="Table format.",
)
@fail_cleanly
def due_cmd(params: tuple[str, ...], today: Any, fmt: str) -> None:
    """List every document's last review, owner and next due date, overdue first.

    Exit 1 when any document is overdue or was never reviewed, 2 when a file is bad
    input (the others are still listed), else 0.
    """
    import datetime as dt

    from .due import any_overdue, due_rows, format_rows
    from .sources import load_sources

    day = today.date() if today else dt.date.today()
    good, bad = load_sources(list(params))
    rows = due_rows(good, today=day)
    for error in bad:
        click.echo(error_line(error), err=True)
    click.echo(format_rows(rows, fmt, today=day), nl=False)
    if bad:
        raise BadInput(f"{len(bad)} file(s) with bad input")
    if any_overdue(rows):
        raise Failed("a document is overdue or was never reviewed")


@cli.command("batch")
@click.argument("sources", nargs=-1, required=True)
@click.option(
    "--out",
    "out",
    default="out",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Output folder: one sub-folder per practice, plus summary.csv and summary.html.",
)
@click.option(
    "--to",
    "to",
    default="html,pdf",
    show_default=True,
    help="Comma-separated: html and pdf from the notebook; md, docx, jsonld from the same model.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1, 256),
    default=None,
    help="Worker processes [default: cores].",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=120.0,
    show_default=True,
    help="Seconds a practice's notebook may run before it is stopped and failed.",
)
@click.option("--force", is_flag=True, help="Redo practices whose inputs are unchanged.")
@click.option(
    "--scheduler", default=None, metavar="ADDRESS", help="Run on a Dask cluster (tcp://host:8786)."
)
@click.option(
    "--scheduler-timeout",
    type=click.FloatRange(min=0.1),
    default=15.0,
    show_default=True,
    help="Seconds to wait for the Dask scheduler to answer.",
)
@PAPER
@click.option(
    "--notebook",
    type=click.Path(dir_okay=False),
    default=None,
    help="A notebook to run instead of the shipped job_description.ipynb.",
)
@click.option(
    "--kind",
    default="description",
    show_default=True,
    help="description (the notebook's document), posting (<slug>-posting.*) or both.",
)
@click.option(
    "--runner",
    type=_Runners(),
    default="kernels",
    show_default=True,
    help="kernels: warm forked kernels (fast); papermill: papermill.execute_notebook per "
    "practice (slower, the reference the fast path is tested against).",
)
@fail_cleanly
def batch_cmd(
    sources: tuple[str, ...],
    out: str,
    to: str,
    jobs: int | None,
    timeout: float,
    force: bool,
    scheduler: str | None,
    scheduler_timeout: float,
    paper: str,
    notebook: str | None,
    kind: str,
    runner: str,
) -> None:
    """Run the job-description notebook per practice (files, folders,
    .csv, .xlsx); export HTML and PDF.

    Exit 1 when any practice failed or has errors in its checks (the others still finish),
    2 on bad usage.
    """
    kinds = _kinds(kind)  # a bad --kind is one line before anything starts
    from .batch.pool import start_server, stop_server
    from .batch.settings import block_unused
    from .lifeline import stop_on_signals

    block_unused()  # as in the pool's processes: nbformat's jsonschema skips ~3 s of format imports

    if not scheduler:
        start_server()  # the pool's forkserver imports while this process imports and validates
    from .batch import run_batch

    client = None
    executor = None
    if scheduler:
        try:
            from distributed import Client
        except ImportError:
            raise JdkitError(
                "Dask is not installed, so --scheduler cannot run",
                field="scheduler",
                hint="pip install 'jdkit[dask]'",
            ) from None

        try:
            # distributed's Client methods are unannotated
            client = Client(scheduler, timeout=scheduler_timeout)  # type: ignore[no-untyped-call]
        except OSError as exc:
            raise JdkitError(
                f"cannot reach the Dask scheduler: {exc}",
                field="scheduler",
                hint="check the address, e.g. tcp://host:8786",
            ) from None
        executor = client.get_executor()  # type: ignore[no-untyped-call]
    bar = _BatchProgress()
    # SIGTERM and SIGHUP (a closed terminal) stop the batch cleanly, as Ctrl-C does
    restore = stop_on_signals()
    try:
        result = run_batch(
            list(sources),
            out,
            to.split(","),
            jobs=jobs,
            timeout=timeout,
            force=force,
            executor=executor,
            progress=bar,
            notebook=notebook,
            kinds=kinds,
            names=flags(),
            say=say,
            runner=runner,
            paper=paper.title() if paper.lower() == "letter" else "A4",
        )
    except KeyboardInterrupt as exc:
        # lifeline.StopSignal: run_batch stopped every worker and kernel
        import signal

        bar.close()
        signum = getattr(exc, "signum", signal.SIGINT)
        click.echo(
            f"interrupted ({signal.Signals(signum).name}): stopped every worker and kernel; "
            "finished "
            "practices are kept, and running the same command again does the rest",
            err=True,
        )
        # exit 128 + signum, as a shell reports a process ended by it
        raise Interrupted(signum=signum) from None
    finally:
        bar.close()
        if client is not None:
            client.close()  # type: ignore[no-untyped-call]
        stop_server()  # done with it; with nothing to run (or bad input) it stops importing at once
        restore()
    for row in result.failed:
        click.echo(clean(f"failed: {row.name}: {row.reason}"), err=True)
    # exit 1 for them as `jdkit check` does, so a script never publishes them on the batch's success
    flawed = result.not_ready
    for row in flawed:
        found = f"{row.errors} error{'s' if row.errors != 1 else ''}"
        click.echo(
            clean(
                f"not ready to publish: {row.name}: {found} in its checks (fix: jdkit check "
                f"on {row.source} lists them; correct them there)"
            ),
            err=True,
        )
    counts = {s: sum(r.status == s for r in result.results) for s in ("ok", "skipped", "failed")}
    from .export import EXTENSIONS

    # the files this run wrote: the formats asked for (run_batch checked the names) and the record
    written = "|".join(dict.fromkeys([*(EXTENSIONS[name] for name in to.split(",")), ".ipynb"]))
    unready = f" ({len(flawed)} not ready to publish)" if flawed else ""
    click.echo(
        f"{counts['ok']} done, {counts['skipped']} unchanged, {counts['failed']} failed"
        f"{unready}. Documents: {out}/<practice>/<practice>{written}; "
        f"summary: {result.summary_html}"
    )
    if result.failed or flawed:
        raise Failed(f"{len(result.failed)} practice(s) failed, {len(flawed)} not ready to publish")


class _BatchProgress:
    """A tqdm bar (done, failed, rate) on a terminal; one plain line per practice otherwise."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.bar: Any = None
        self.failed = 0

    def __call__(self, row: Any, done: int, total: int) -> None:
        self.failed += row.status == "failed"
        if not self.tty:
            click.echo(
                clean(
                    f"[{done}/{total}] {row.status:7} {row.name}"
                    + (f" ({row.seconds:.2f} s)" if row.seconds else "")
                ),
                err=True,
            )
            return
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="practice", file=sys.stderr, dynamic_ncols=True)
        self.bar.set_postfix(failed=self.failed, refresh=False)
        self.bar.update(1)

    def close(self) -> None:
        """Close the bar, if one was drawn."""
        if self.bar is not None:
            self.bar.close()


@cli.command("diff")
@click.argument("old")
@click.argument("new")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "html"]),
    default="text",
    show_default=True,
    help="text for a terminal; html for a report with changes highlighted.",
)
@fail_cleanly
def diff_cmd(old: str, new: str, fmt: str) -> None:
    """Show what changed from OLD to NEW (two parameter files), section by section.

    Prints to stdout and writes nothing. Exit 0 when they say the same thing, 1 when
    they differ (as diff does), 2 when either file is bad input.
    """
    from .diff import diff, format_html, format_text
    from .params import load

    report = diff(load(old), load(new), old_file=old, new_file=new)
    _cache_templates()
    click.echo(format_html(report) if fmt == "html" else format_text(report), nl=False)
    if not report.empty:
        raise Failed("the two files differ")


def main() -> None:
    """Entry point of the ``jdkit`` console script."""
    try:
        cli()  # exit codes come from fail_cleanly, around every command
    finally:
        from .batch.settings import freeze

        freeze()  # everything is written by now: the interpreter's last collections skip it all


if __name__ == "__main__":
    main()
