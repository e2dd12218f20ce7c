"""Command line: ``arclint scan``, ``rules``, ``facts``, ``explain``. Heavy imports happen inside commands."""

from __future__ import annotations

import datetime
import sys
from pathlib import Path
from typing import Any

import click

from arclint import __version__

FORMATS = ("text", "json")


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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="arclint")
def main() -> None:
    """Lint Terraform and Packer for Azure Arc (Connected Machine agent) onboarding mistakes.

    Exit codes: 0 nothing at or above the failure threshold, 1 findings at or above it,
    2 usage or configuration error, a given path that does not exist or cannot be read,
    or an internal error; 130/143 interrupted or terminated. Findings go to standard
    output (or --output), errors to standard error.
    """


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="Report format.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to this file (atomically) instead of standard output.",
)
@click.option(
    "--as-of", callback=_date, metavar="YYYY-MM-DD", help="Date that decides dated rules (default: today, UTC)."
)
@click.option(
    "--support-matrix",
    "matrix",
    metavar="EDITION",
    help="Edition of the OS support table (default: the newest); see `arclint rules --matrices`.",
)
@click.option(
    "--var-file",
    "var_files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A .tfvars or .pkrvars.hcl file, as for terraform/packer (repeatable).",
)
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
@click.option(
    "--policy-dir",
    "policy_dirs",
    multiple=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="A folder of extra policy YAML files (repeatable).",
)
@click.option(
    "--exclude",
    "excludes",
    multiple=True,
    metavar="GLOB",
    help="Skip files and folders whose name matches (repeatable).",
)
@click.option(
    "--fail-on",
    type=click.Choice(["warning", "error"]),
    default="warning",
    show_default=True,
    help="Lowest severity that makes the exit code 1 (info never fails).",
)
@click.option(
    "--explore/--no-explore",
    default=True,
    show_default=True,
    help=(
        "Also evaluate root-module input switches (bool inputs, inputs that default to null) with their other"
        " value; such findings say under which values they hold."
    ),
)
@click.option(
    "--color/--no-color",
    default=None,
    help="Color text output (default: when writing to a terminal and NO_COLOR is not set).",
)
def scan(
    paths: tuple[Path, ...], fmt: str, output: Path | None, fail_on: str, color: bool | None, **options: Any
) -> None:
    """Scan Terraform and Packer files or folders (default: the current folder).

    Exit 0: nothing at or above --fail-on; 1: findings at or above it; 2: a bad option or
    configuration, a given path that does not exist or cannot be read, or an internal error
    (a bug: "arclint: internal error while scanning FILE: ..."). Paths inside a given folder
    that cannot be read are reported on standard error and in the JSON "errors" list.
    """
    import signal

    from arclint.core.internal import InternalError

    signal.signal(signal.SIGTERM, _terminate)
    try:
        _scan(paths, fmt, output, fail_on, color, options)
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
    paths: tuple[Path, ...], fmt: str, output: Path | None, fail_on: str, color: bool | None, given: dict[str, Any]
) -> None:
    """Run the scan the options ask for (``given``: the ``scan.Options`` fields), from the current folder."""
    import os

    from arclint import scan as scanning
    from arclint.discover import PathError
    from arclint.load.hcl2_guard import HclUnavailable
    from arclint.matrix import MatrixError
    from arclint.policy import PolicyError
    from arclint.report import REPORTERS

    settings = {name: value for name, value in given.items() if value is not None}  # None: the default
    options = scanning.Options(**settings, env=dict(os.environ))
    try:
        report = scanning.run(paths or (Path("."),), root=Path.cwd(), options=options)
    except PathError as exc:
        for problem in str(exc).splitlines():
            click.echo(f"arclint: {problem}", err=True)
        sys.exit(2)
    except (PolicyError, MatrixError, HclUnavailable) as exc:
        click.echo(f"arclint: {exc}", err=True)
        sys.exit(2)
    for error in report.errors:
        click.echo(f"arclint: {error}", err=True)
    if color is None:  # https://no-color.org: any non-empty NO_COLOR turns colour off unless asked for
        color = output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    use_color = color
    rendered = REPORTERS[fmt](report, use_color)
    if output is None:
        click.echo(rendered, nl=False, color=use_color)  # click strips colour off a terminal unless told
    else:
        try:
            _write_atomically(output, rendered)
        except OSError as exc:
            click.echo(f"arclint: cannot write {output}: {exc.strerror or exc}", err=True)
            sys.exit(2)
    sys.exit(1 if report.failed(fail_on) else 0)


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


POLICY_DIR = click.option(
    "--policy-dir",
    "policy_dirs",
    multiple=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="A folder of extra policy YAML files (repeatable).",
)


def _policies(policy_dirs: tuple[Path, ...]) -> list[Any]:
    """The policies a scan with these ``--policy-dir`` folders would run; exit 2 on a bad policy."""
    from arclint.policy import PolicyError, load_policies

    try:
        return load_policies(policy_dirs, base=Path.cwd())
    except PolicyError as exc:
        click.echo(f"arclint: {exc}", err=True)
        sys.exit(2)


@main.command()
@click.option("--matrices", is_flag=True, help="List the editions of the OS support table instead.")
@POLICY_DIR
def rules(matrices: bool, policy_dirs: tuple[Path, ...]) -> None:
    """List the rules: id, name, severity (or ``disabled``), title; a rule a policy file changed says where."""
    from arclint.matrix import available_editions

    if matrices:
        editions = available_editions()
        for edition in editions:
            click.echo(f"{edition}{'  (default)' if edition == editions[-1] else ''}")
        return
    for p in _policies(policy_dirs):
        state = p.severity if p.enabled else "disabled"
        where = f"  (set in {p.override})" if p.override is not None else ""
        click.echo(f"{p.id}  {p.name:<32} {state:<8} {p.title}{where}")


@main.command()
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


@main.command()
@click.argument("rule")
@POLICY_DIR
def explain(rule: str, policy_dirs: tuple[Path, ...]) -> None:
    """Show a rule's documentation (by id, e.g. ARC101, or by name)."""
    from arclint.docs import render_rule
    from arclint.policy import resolve

    policy = resolve(_policies(policy_dirs), rule)
    if policy is None:
        click.echo(f"arclint: no rule {rule!r}; `arclint rules` lists them", err=True)
        sys.exit(2)
    click.echo(render_rule(policy), nl=False)
