"""Command line: ``arclint scan``, ``rules``, ``facts``, ``explain``, ``config``, ``init``. Heavy imports happen in
commands."""

from __future__ import annotations

import datetime
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from arclint import __version__

if TYPE_CHECKING:
    from arclint.baseline import Baseline
    from arclint.config import Configuration
    from arclint.findings import Report
    from arclint.policy import Policy, SelectionError

FORMATS = ("text", "json", "sarif", "github", "junit", "markdown", "gitlab")  # arclint.report.REPORTERS' names


class Terminated(BaseException):
    """SIGTERM arrived: stop like an interrupt, leaving no partial output."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated()


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> datetime.date | None:
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form") from None


def _var(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    out = []
    for item in value:
        name, sep, raw = item.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"{item!r} is not NAME=VALUE")
        out.append((name.strip(), raw))
    return tuple(out)


def _rule_list(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    """``--select A --select B,C`` -> (A, B, C)."""
    return tuple(part.strip() for item in value for part in item.split(",") if part.strip())


def _severity(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    from arclint.findings import SEVERITIES

    out = []
    for item in value:
        rule, sep, level = item.partition("=")
        if not sep or not rule.strip() or level.strip() not in SEVERITIES:
            raise click.BadParameter(f"{item!r} is not RULE=LEVEL with LEVEL one of {', '.join(SEVERITIES)}")
        out.append((rule.strip(), level.strip()))
    return tuple(out)


F = TypeVar("F", bound=Callable[..., Any])


def _options(*decorators: Callable[[F], F]) -> Callable[[F], F]:
    """Apply several click options at once, in the order listed."""

    def apply(func: F) -> F:
        for decorator in reversed(decorators):
            func = decorator(func)
        return func

    return apply


# What selects and configures the rules: shared by scan, config, rules and explain.
_rule_options = _options(
    click.option(
        "--config",
        "config_file",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help=(
            "Configuration file to use instead of the .arclint.yaml (or [tool.arclint] in pyproject.toml) found"
            " from the scanned folder up."
        ),
    ),
    click.option(
        "--policy-dir",
        "policy_dirs",
        multiple=True,
        type=click.Path(file_okay=False, path_type=Path),
        help="A folder of extra policy YAML files (repeatable; replaces the configuration's policy-dirs).",
    ),
    click.option(
        "--select",
        multiple=True,
        callback=_rule_list,
        metavar="RULE",
        help="Run only these rules: ids, id prefixes (ARC4) or names (repeatable or comma separated).",
    ),
    click.option(
        "--ignore",
        multiple=True,
        callback=_rule_list,
        metavar="RULE",
        help="Do not run these rules (same forms; ignore wins over select).",
    ),
    click.option(
        "--severity",
        "severities",
        multiple=True,
        callback=_severity,
        metavar="RULE=LEVEL",
        help="Give every finding of a rule this severity: error, warning or info (repeatable).",
    ),
)

# The other settings a configuration file can hold: shared by scan and config.
_setting_options = _options(
    click.option(
        "--as-of",
        callback=_date,
        metavar="YYYY-MM-DD",
        help="Date that decides dated rules (default: today, UTC).",
    ),
    click.option(
        "--support-matrix",
        "matrix",
        metavar="EDITION",
        help="Edition of the OS support table (default: the newest); see `arclint rules --matrices`.",
    ),
    click.option(
        "--var-file",
        "var_files",
        multiple=True,
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="A .tfvars or .pkrvars.hcl file, as for terraform/packer (repeatable).",
    ),
    click.option(
        "--exclude",
        "excludes",
        multiple=True,
        metavar="GLOB",
        help="Skip files and folders whose name matches (repeatable).",
    ),
    click.option(
        "--fail-on",
        type=click.Choice(["warning", "error"]),
        help="Lowest severity that makes the exit code 1 (info never fails)  [default: warning]",
    ),
    click.option(
        "--explore/--no-explore",
        default=None,
        help=(
            "Also evaluate root-module input switches (bool inputs, inputs that default to null) with their other"
            " value; such findings say under which values they hold.  [default: explore]"
        ),
    ),
    click.option(
        "--cache/--no-cache",
        default=None,
        help=(
            "Keep parsed files in .arclint_cache/ of the first scanned folder, keyed by content and arclint"
            " version; never when only files are given.  [default: cache, but no-cache where the CI variable is"
            " set]"
        ),
    ),
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="arclint")
def main() -> None:
    """Lint Terraform and Packer for Azure Arc (Connected Machine agent) onboarding mistakes.

    Exit codes: 0 nothing at or above the failure threshold, 1 findings at or above it,
    2 usage or configuration error, a given path that does not exist or cannot be read,
    or an internal error; 130/143 interrupted or terminated. Findings go to standard
    output (or --output), errors to standard error.
    """


def _formats(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[tuple[str, Path | None], ...]:
    """``--format FMT[:FILE]`` (repeatable) -> ((FMT, FILE or None), ...); at most one without a FILE, no FILE
    twice."""
    out: list[tuple[str, Path | None]] = []
    for item in value:
        name, sep, file = item.partition(":")
        if name not in FORMATS:
            raise click.BadParameter(f"{name!r} is not one of {', '.join(FORMATS)} (FMT or FMT:FILE)")
        if sep and not file:
            raise click.BadParameter(f"{item!r} names no file after ':'")
        out.append((name, Path(file) if file else None))
    if sum(file is None for _, file in out) > 1:
        raise click.BadParameter("at most one --format may go to standard output; give the others a file (FMT:FILE)")
    files = [file.absolute() for _, file in out if file is not None]
    if len(set(files)) < len(files):
        raise click.BadParameter("two formats name the same file")
    return tuple(out)


def _outputs(formats: tuple[tuple[str, Path | None], ...], output: Path | None) -> list[tuple[str, Path | None]]:
    """Each report to write, (format, file or None for standard output). Without ``--format``: text, or
    GitHub annotations when run by GitHub Actions (``GITHUB_ACTIONS=true``). ``-o`` is the file of the format
    without one."""
    import os

    if not formats:
        formats = (("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text", None),)
    if output is not None:
        if all(file is not None for _, file in formats):
            _fail("-o/--output: every --format names its own file (FMT:FILE); drop -o or a FILE")
        formats = tuple((name, output if file is None else file) for name, file in formats)
        files = [file.absolute() for _, file in formats if file is not None]
        if len(set(files)) < len(files):
            _fail(f"-o/--output: {output} is also the FILE of a --format")
    return list(formats)


def _verbosity(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    if value and ctx.params.get("verbose" if param.name == "quiet" else "quiet"):
        raise click.BadParameter("-q/--quiet and -v/--verbose exclude each other")
    return value


# How much the text report shows (other formats are complete and unchanged).
_verbosity_options = _options(
    click.option("-q", "--quiet", is_flag=True, callback=_verbosity, help="Text: the summary line only."),
    click.option(
        "-v",
        "--verbose",
        is_flag=True,
        callback=_verbosity,
        help="Text: also what arclint could not decide about each target (the unknowns ARC002 does not report).",
    ),
)


# Adopting arclint on a repository with findings: record them, then report only new ones.
_baseline_options = _options(
    click.option(
        "--baseline",
        "baseline_file",
        type=click.Path(dir_okay=False, path_type=Path),
        metavar="FILE",
        help=(
            "Report only findings not in this baseline file (written by --write-baseline); the summary counts"
            " those fixed since."
        ),
    ),
    click.option(
        "--write-baseline",
        type=click.Path(dir_okay=False, path_type=Path),
        metavar="FILE",
        help="Write every finding of this scan to a baseline FILE (atomically) and exit 0.",
    ),
)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "formats",
    multiple=True,
    callback=_formats,
    metavar="FMT[:FILE]",
    help=(
        f"Report format: {', '.join(FORMATS)}; with :FILE written to that file (atomically). Repeatable: at most"
        " one without a FILE goes to standard output.  [default: text; github when GITHUB_ACTIONS=true]"
    ),
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report (the format without a FILE) to this file (atomically) instead of standard output.",
)
@_setting_options
@click.option(
    "--plan",
    "plans",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help=(
        "A plan from `terraform show -json plan.out` for the scanned root module: its values, the configuration's"
        " lines (repeatable)."
    ),
)
@click.option(
    "--var",
    "variables",
    multiple=True,
    callback=_var,
    metavar="NAME=VALUE",
    help="A variable value, as for terraform/packer (repeatable).",
)
@_rule_options
@click.option(
    "--show-suppressed",
    is_flag=True,
    default=False,
    help='Also list the findings that suppressions hid, with where and why (JSON: a "suppressed" list).',
)
@click.option(
    "--color/--no-color",
    default=None,
    help="Color text output (default: when writing to a terminal and NO_COLOR is not set).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help=(
        "Parse the files of a large scan (256 KB or more) in up to N processes (this one and workers, one per 256 KB"
        " at most); the report is the same whatever N.  [default: the number of cores]"
    ),
)
@click.option(
    "--prefilter/--no-prefilter",
    default=True,
    help=(
        "Only check the syntax of Terraform folders whose files cannot lead to a finding (no machine, image or Arc"
        " resource, no module call arclint reports, no arclint comment); the report is the same either way."
        "  [default: prefilter, for scans of folders without --plan]"
    ),
)
@_verbosity_options
@_baseline_options
def scan(
    paths: tuple[Path, ...],
    formats: tuple[tuple[str, Path | None], ...],
    output: Path | None,
    color: bool | None,
    config_file: Path | None,
    **given: Any,
) -> None:
    """Scan Terraform and Packer files or folders (default: the current folder).

    Settings come from the configuration file (.arclint.yaml or [tool.arclint] in pyproject.toml,
    found from the first path's folder up; `arclint config` shows them); flags override it.

    Exit 0: nothing at or above --fail-on; 1: findings at or above it; 2: a bad option or
    configuration, a given path that does not exist or cannot be read, or an internal error
    (a bug: "arclint: internal error while scanning FILE: ..."). Paths inside a given folder
    that cannot be read are reported on standard error and in the JSON "errors" list.
    """
    import signal

    from arclint.core.internal import InternalError

    signal.signal(signal.SIGTERM, _terminate)
    try:
        _scan(paths, _outputs(formats, output), color, _configuration(paths, config_file, given), given)
    except KeyboardInterrupt:
        click.echo("arclint: interrupted; nothing written", err=True)
        sys.exit(130)
    except Terminated:
        click.echo("arclint: terminated; nothing written", err=True)
        sys.exit(143)
    except InternalError as exc:
        _internal_error(exc.where, exc.cause)
    except Exception as exc:  # a bug outside any file (discovery, filtering, reporting)
        _internal_error(", ".join(str(p) for p in paths) or ".", exc)


def _fail(text: str) -> NoReturn:
    """Exit 2 with each line of ``text`` on standard error."""
    for line in text.splitlines():
        click.echo(f"arclint: {line}", err=True)
    sys.exit(2)


def _configuration(paths: tuple[Path, ...], config_file: Path | None, flags: dict[str, Any]) -> Configuration:
    """The effective configuration of a scan of ``paths`` from the current folder (exit 2 when it is broken):
    the file is looked for from the first path's folder up."""
    from arclint.config import ConfigError, load
    from arclint.core.files import is_dir

    cwd = Path.cwd()
    start = paths[0] if paths and is_dir(cwd / paths[0]) else paths[0].parent if paths else Path(".")
    try:
        return load(start, cwd, config_file, flags)
    except ConfigError as exc:
        _fail(str(exc))


def _selection_error(exc: SelectionError, configuration: Configuration) -> NoReturn:
    """Exit 2 naming where a selector that matches no rule was written."""
    from arclint.config import COMMAND_LINE

    source = configuration.settings[exc.key].source
    _fail(f"{'--' + exc.key if source == COMMAND_LINE else f'{source}: at {exc.key}'}: {exc.problem}")


def _policies(configuration: Configuration) -> list[Policy]:
    """The policies as a scan with ``configuration`` runs them (exit 2 for a broken policy or selector)."""
    from arclint.policy import PolicyError, SelectionError, configure, load_policies

    o = configuration.options()
    try:
        return configure(load_policies(o["policy_dirs"], base=Path.cwd()), o["select"], o["ignore"], o["severities"])
    except SelectionError as exc:
        _selection_error(exc, configuration)
    except PolicyError as exc:
        _fail(str(exc))


def _internal_error(where: str, cause: BaseException) -> None:
    """Exit 2 naming where the scan was; the text is masked and kept on one line."""
    from arclint.core.files import printable_path
    from arclint.core.redact import mask_secrets

    detail = printable_path(mask_secrets(f"{type(cause).__name__}: {cause}"))
    click.echo(
        f"arclint: internal error while scanning {printable_path(where)}: {detail}"
        " (a bug in arclint; please report it)",
        err=True,
    )
    sys.exit(2)


def _scan(
    paths: tuple[Path, ...],
    outputs: list[tuple[str, Path | None]],
    color: bool | None,
    configuration: Configuration,
    given: dict[str, Any],
) -> None:
    """Run the scan the configuration and the options ask for, from the current folder."""
    import os

    from arclint import scan as scanning
    from arclint.discover import PathError
    from arclint.load.hcl2_guard import HclUnavailable
    from arclint.load.pool import default_jobs
    from arclint.matrix import MatrixError
    from arclint.policy import PolicyError, SelectionError
    from arclint.report.progress import Progress

    options = scanning.Options(
        **configuration.options(),
        plans=given["plans"],
        variables=given["variables"],
        show_suppressed=given["show_suppressed"],
        env=dict(os.environ),
        baseline=_read_baseline(given["baseline_file"]),
        jobs=given["jobs"] or default_jobs(),
        prefilter=given["prefilter"],
    )
    try:
        with Progress(sys.stderr, " ".join(str(p) for p in paths) or "."):
            report = scanning.run(paths or (Path("."),), root=Path.cwd(), options=options)
    except PathError as exc:
        _fail(str(exc))
    except SelectionError as exc:
        _selection_error(exc, configuration)
    except (PolicyError, MatrixError, HclUnavailable) as exc:
        _fail(str(exc))
    for error in report.errors:
        click.echo(f"arclint: {error}", err=True)
    report.fail_on = configuration.value("fail-on")
    verbosity = -1 if given["quiet"] else 1 if given["verbose"] else 0
    _write_reports(report, outputs, color, verbosity)
    if given["write_baseline"] is not None:
        _write_baseline(given["write_baseline"], report)
        sys.exit(0)
    sys.exit(report.exit_code())


def _write_reports(
    report: Report, outputs: list[tuple[str, Path | None]], color: bool | None, verbosity: int = 0
) -> None:
    """Render every report first, write the files (each atomically; exit 2 naming one that cannot be written),
    then standard output. Colour: ``--color``, else on a terminal without ``NO_COLOR``; a file only with
    ``--color`` and a single format. ``verbosity`` (``-q``: -1, ``-v``: 1) shapes the text report only."""
    import os

    from arclint.report import REPORTERS, text

    on_terminal = sys.stdout.isatty() and not os.environ.get("NO_COLOR")  # https://no-color.org
    rendered = []
    for name, file in outputs:
        asked = on_terminal if color is None else color
        use_color = asked if file is None else bool(color) and len(outputs) == 1  # a file: only with --color -o
        body = text.render(report, use_color, verbosity) if name == "text" else REPORTERS[name](report, use_color)
        rendered.append((body, file, use_color))
    for body, file, _ in rendered:
        if file is not None:
            try:
                _write_atomically(file, body)
            except OSError as exc:
                click.echo(f"arclint: cannot write {file}: {exc.strerror or exc}", err=True)
                sys.exit(2)
    for body, file, use_color in rendered:
        if file is None:
            click.echo(body, nl=False, color=use_color)  # click strips colour off a terminal unless told


def _read_baseline(path: Path | None) -> Baseline | None:
    """The ``--baseline`` file, read (exit 2 naming it when it is missing or broken)."""
    from arclint.baseline import BaselineError, load

    if path is None:
        return None
    try:
        return load(path, str(path))
    except BaselineError as exc:
        _fail(str(exc))


def _write_baseline(path: Path, report: Report) -> None:
    """Write every finding of ``report`` (the new and, with ``--baseline``, the known ones) to ``path``."""
    from arclint.baseline import render

    findings = [*report.findings, *(report.baseline.known if report.baseline else ())]
    try:
        _write_atomically(path, render(findings))
    except OSError as exc:
        _fail(f"cannot write {path}: {exc.strerror or exc}")
    click.echo(f"arclint: wrote {len(findings)} {'finding' if len(findings) == 1 else 'findings'} to {path}", err=True)


def _write_atomically(path: Path, text: str) -> None:
    import os
    import tempfile

    folder = path.absolute().parent
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@main.command(short_help="List the machines, groups, templates and image builds found, with their facts.")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("table", "json", "mermaid")),
    default="table",
    show_default=True,
    help="table (evidence below each row), json, or mermaid (image builds -> images -> machines).",
)
@click.option(
    "--var-file",
    "var_files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A .tfvars or .pkrvars.hcl file, as for terraform/packer (repeatable).",
)
@click.option(
    "--var", "variables", multiple=True, callback=_var, metavar="NAME=VALUE", help="A variable value (repeatable)."
)
@click.option("--exclude", "excludes", multiple=True, metavar="GLOB", help="Skip matching files and folders.")
@click.option(
    "--config",
    "config_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Configuration file to use instead of the one found (its var-files and exclude apply).",
)
def inventory(
    path: Path | None, fmt: str, variables: tuple[tuple[str, str], ...], config_file: Path | None, **given: Any
) -> None:
    """List every machine, scale set, template, image build and image arclint finds under PATH (default: the
    current folder) with platform, OS, architecture, lifecycle, onboarding (none, install, connect, deferred to
    first boot) and the evidence for each, so you can see why something was or was not flagged. No rule runs.

    Exit 0, or 2 for a bad option or configuration or a path that does not exist or cannot be read."""
    import os

    from arclint import scan as scanning
    from arclint.core.internal import InternalError
    from arclint.discover import PathError
    from arclint.load.hcl2_guard import HclUnavailable
    from arclint.report.inventory import RENDERERS

    paths = (path,) if path is not None else ()
    configuration = _configuration(paths, config_file, given)
    options = scanning.Options(**configuration.options(), variables=variables, env=dict(os.environ))
    try:
        found = scanning.inventory(paths or (Path("."),), root=Path.cwd(), options=options)
    except (PathError, HclUnavailable) as exc:
        _fail(str(exc))
    except InternalError as exc:
        _internal_error(exc.where, exc.cause)
    for error in found.errors:
        click.echo(f"arclint: {error}", err=True)
    click.echo(RENDERERS[fmt](found, False), nl=False)


@main.command(short_help="List the rules, as the configuration sets them up.")
@click.option("--matrices", is_flag=True, help="List the editions of the OS support table instead.")
@_rule_options
def rules(matrices: bool, config_file: Path | None, **given: Any) -> None:
    """List the rules: id, name, severity, title, as the configuration in the current folder (or --config)
    and the options set them up; a rule turned off shows "disabled", a changed severity its default."""
    from arclint.matrix import available_editions

    if matrices:
        editions = available_editions()
        for edition in editions:
            click.echo(f"{edition}{'  (default)' if edition == editions[-1] else ''}")
        return
    for p in _policies(_configuration((), config_file, given)):
        severity = p.severity if p.enabled else "disabled"
        default = f" (default severity: {p.default_severity})" if p.enabled and p.default_severity else ""
        where = f"  (set in {p.override})" if p.override is not None else ""
        click.echo(f"{p.id}  {p.name:<32} {severity:<8} {p.title}{default}{where}")


@main.command(short_help="List the facts policies' conditions can read.")
def facts() -> None:
    """List the facts policies' conditions can read (name, type, meaning), then the platforms and roles."""
    from arclint.model.vocabulary import FACTS, PLATFORMS, ROLES

    width = max(len(f.name) for f in FACTS)
    types = max(len(f.type) for f in FACTS)
    for fact in FACTS:
        click.echo(f"{fact.name:<{width}}  {fact.type:<{types}}  {fact.meaning}")
    for title, names in (("platforms", PLATFORMS), ("roles", ROLES)):
        click.echo(f"\n{title} (the {title[:-1]} fact, applies-to: {title}):")
        for name, meaning in names.items():
            click.echo(f"  {name:<{width - 2}}  {meaning}")


@main.command(short_help="Show a rule's documentation.")
@click.argument("rule")
@_rule_options
def explain(rule: str, config_file: Path | None, **given: Any) -> None:
    """Show a rule's documentation (by id, e.g. ARC101, or by name), and how the configuration in the current
    folder (or --config) and the options set it up."""
    from arclint.docs import render_rule
    from arclint.policy import resolve

    policy = resolve(_policies(_configuration((), config_file, given)), rule)
    if policy is None:
        click.echo(f"arclint: no rule {rule!r}; `arclint rules` lists them", err=True)
        sys.exit(2)
    click.echo(render_rule(policy), nl=False)
    if not policy.enabled:
        click.echo("\nHere: disabled (by the configuration, the options or its policy file).")
    elif policy.default_severity:
        click.echo(f"\nHere: severity `{policy.severity}` (set by the configuration or the options).")


@main.command("config", short_help="Print the effective configuration and where each value came from.")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@_setting_options
@_rule_options
def show_config(path: Path | None, config_file: Path | None, **given: Any) -> None:
    """Print the effective configuration of a scan of PATH (default: the current folder) as YAML, each value
    with where it came from: default, the configuration file, or the command line."""
    configuration = _configuration((path,) if path is not None else (), config_file, given)
    _policies(configuration)  # a selector that names no rule is an error here too
    click.echo(configuration.render(), nl=False)


@main.command(short_help="Write a commented starter .arclint.yaml.")
@click.argument("folder", required=False, default=".", type=click.Path(exists=True, file_okay=False, path_type=Path))
def init(folder: Path) -> None:
    """Write a commented starter .arclint.yaml into FOLDER (default: the current folder); every key is at its
    default or commented out. An existing configuration there is never overwritten (exit 2)."""
    from arclint.config import ConfigError, in_folder, starter

    target = folder / ".arclint.yaml"
    try:
        existing = in_folder(folder.absolute(), Path.cwd())
    except ConfigError as exc:
        _fail(str(exc))
    if existing is not None:
        _fail(f"{folder / existing.name} already configures arclint; nothing written")
    try:
        with open(target, "x", encoding="utf-8") as fh:
            fh.write(starter())
    except OSError as exc:
        _fail(f"cannot write {target}: {exc.strerror or exc}")
    click.echo(f"wrote {target}")
