"""pre-commit on everything that changes a finding: the hook runs for scripts and templates too, a given file
selects the findings anchored in it or with evidence in it, and a given script is evaluated with the
configuration that reads it. The last tests run the real ``pre-commit`` from PyPI against this repository."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import AS_OF, REPO, Cli, write

VM = """resource "azurerm_linux_virtual_machine" "app" {
  name                = "vm-app"
  resource_group_name = "rg-app"
  location            = "westeurope"
  size                = "Standard_D2s_v5"
  admin_username      = "azureuser"
  custom_data         = base64encode(file("${path.module}/${var.script}"))

  source_image_reference {
    publisher = "Canonical"
    offer     = "0001-com-ubuntu-server-jammy"
    sku       = "22_04-lts-gen2"
    version   = "latest"
  }
}
"""
VARIABLES = 'variable "script" {\n  default = "scripts/onboard.sh"\n}\n'
ONBOARD = "#!/bin/bash\nset -e\nazcmagent connect --resource-group rg-arc --location westeurope\n"
HARMLESS = "#!/bin/bash\nset -e\necho hello\n"
ARC101 = (
    "main.tf:1:1: error ARC101 azurerm_linux_virtual_machine.app runs the Azure Connected Machine agent on an Azure"
    " VM, where it is not supported outside a complete evaluation setup (scripts/onboard.sh:3)\n"
    "    scripts/onboard.sh:3: azcmagent connect --resource-group rg-arc --location westeurope\n"
)


def _project(root: Path, **extra: str) -> Path:
    return write(
        root,
        {
            "main.tf": VM,
            "variables.tf": VARIABLES,
            "scripts/onboard.sh": ONBOARD,
            "scripts/other.sh": HARMLESS,
            **extra,
        },
    )


def _summary(n_error: int, files: int) -> str:
    noun = "finding" if n_error == 1 else "findings"
    return (
        f"{n_error} {noun} ({n_error} error, 0 warning, 0 info) in {files} files, 1 targets;"
        f" support matrix 2026-08-20, as of {AS_OF.isoformat()}\n"
    )


def test_the_hook_runs_for_scripts_and_templates_too() -> None:
    [hook] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    files = re.compile(hook["files"])
    runs = [
        "main.tf", "x.tf.json", "prod.tfvars", "prod.tfvars.json", "a.pkr.hcl", "a.pkr.json", "a.pkrvars.hcl",
        "scripts/onboard.sh", "x.bash", "Onboard.PS1", "m.psm1", "x.cmd", "x.bat", "cloud-init.yaml", "ci.yml",
        "arc.sh.tftpl", "x.tpl", "x.tmpl", "cloud-init.tpl.yaml", "template.json",
    ]  # fmt: skip
    assert [n for n in runs if not files.search(n)] == []
    assert [n for n in ("README.md", "main.py", "Makefile", "notes.txt") if files.search(n)] == []
    assert (hook["entry"], hook["language"], hook.get("pass_filenames", True)) == ("arclint scan", "python", True)


def test_a_given_script_selects_the_findings_it_is_evidence_of(cli: Cli, tmp_path: Path) -> None:
    _project(tmp_path)
    code, out, err = cli.scan(tmp_path, "scripts/onboard.sh")
    assert (code, out, err) == (1, ARC101 + _summary(1, 3), "")


def test_a_script_no_finding_comes_from_selects_nothing_and_is_no_noise(cli: Cli, tmp_path: Path) -> None:
    _project(tmp_path, **{"tools/lint.sh": HARMLESS, "cloud-init.yaml": "#cloud-config\nruncmd: [echo hi]\n"})
    code, out, err = cli.scan(tmp_path, "scripts/other.sh", "tools/lint.sh", "cloud-init.yaml")
    assert (code, out, err) == (0, _summary(0, 5), "")


def test_a_script_outside_any_configuration_is_no_noise(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path, {"ci/build.sh": HARMLESS, "infra/main.tf": VM})
    code, out, err = cli.scan(tmp_path, "ci/build.sh")
    assert (code, out, err) == (0, _summary(0, 1).replace("1 targets", "0 targets"), "")


def test_a_json_file_a_configuration_may_read_is_no_noise(cli: Cli, tmp_path: Path) -> None:
    _project(tmp_path, **{"templates/settings.json": '{"commandToExecute": "bash onboard.sh"}'})
    code, out, err = cli.scan(tmp_path, "templates/settings.json")
    assert (code, out, err) == (0, _summary(0, 3), "")


def test_a_given_terraform_file_sees_the_variable_defaults_of_its_folder_and_a_variables_file_its_findings(
    cli: Cli, tmp_path: Path
) -> None:
    _project(tmp_path)
    code, out, err = cli.scan(tmp_path, "main.tf")
    assert (code, out, err) == (1, ARC101 + _summary(1, 2), "")
    # a file declaring variables or locals stands for its folder: a default there decides which script runs
    code, out, err = cli.scan(tmp_path, "variables.tf")
    assert (code, out, err) == (1, ARC101 + _summary(1, 2), "")
    write(tmp_path, {"outputs.tf": 'output "x" {\n  value = 1\n}\n'})
    code, out, err = cli.scan(tmp_path, "outputs.tf")  # neither the finding's file nor its evidence nor values
    assert (code, out, err) == (0, _summary(0, 3), "")


def test_a_given_variable_file_selects_the_findings_of_its_folder(cli: Cli, tmp_path: Path) -> None:
    _project(tmp_path, **{"terraform.tfvars": 'script = "scripts/onboard.sh"\n'})
    code, out, err = cli.scan(tmp_path, "terraform.tfvars")
    assert (code, out, err) == (1, ARC101 + _summary(1, 3), "")


def test_a_script_in_a_module_nothing_calls_is_evaluated_with_the_module_folder(cli: Cli, tmp_path: Path) -> None:
    write(
        tmp_path,
        {"modules/vm/main.tf": VM, "modules/vm/variables.tf": VARIABLES, "modules/vm/scripts/onboard.sh": ONBOARD},
    )
    code, out, err = cli.scan(tmp_path, "modules/vm/scripts/onboard.sh")
    assert (code, err) == (1, "")
    assert out.splitlines()[0].startswith("modules/vm/main.tf:1:1: error ARC101 azurerm_linux_virtual_machine.app ")


def test_a_changed_module_is_evaluated_from_the_configurations_that_call_it(cli: Cli, tmp_path: Path) -> None:
    module = {"modules/vm/main.tf": VM, "modules/vm/variables.tf": 'variable "script" {}\n'}
    callers = {
        "live/prod/main.tf": 'module "app" {\n  source = "../../modules/vm"\n  script = "scripts/onboard.sh"\n}\n',
        "live/dev/main.tf": 'module "app" {\n  source = "../../modules/vm"\n  script = "scripts/other.sh"\n}\n',
        "live/other/main.tf": 'module "x" {\n  source = "../../modules/none"\n}\n',
    }
    scripts = {"modules/vm/scripts/onboard.sh": ONBOARD, "modules/vm/scripts/other.sh": HARMLESS}
    write(tmp_path, {**module, **callers, **scripts})
    expected = [
        "modules/vm/main.tf:1:1: error ARC101 module.app.azurerm_linux_virtual_machine.app runs the Azure Connected"
        " Machine agent on an Azure VM, where it is not supported outside a complete evaluation setup"
        " (modules/vm/scripts/onboard.sh:3)",
        "    modules/vm/scripts/onboard.sh:3: azcmagent connect --resource-group rg-arc --location westeurope",
    ]
    for given in ("modules/vm/main.tf", "modules/vm/scripts/onboard.sh"):
        code, out, err = cli.scan(tmp_path, given)
        assert (code, out.splitlines()[:-1], err) == (1, expected, ""), given
        assert " 2 targets;" in out  # prod and dev; live/other does not use the module


def test_a_shared_script_is_evaluated_with_the_configurations_that_name_it(cli: Cli, tmp_path: Path) -> None:
    vm = VM.replace('"${path.module}/${var.script}"', '"${path.module}/../../shared/onboard.sh"')
    write(
        tmp_path,
        {
            "live/prod/main.tf": vm,
            "live/dev/main.tf": VM.replace("${var.script}", "other.sh"),
            "live/dev/other.sh": HARMLESS,
            "shared/onboard.sh": ONBOARD,
            "shared/unused.sh": HARMLESS,
        },
    )
    code, out, err = cli.scan(tmp_path, "shared/onboard.sh")
    assert (code, err) == (1, "")
    assert out.splitlines() == [
        "live/prod/main.tf:1:1: error ARC101 azurerm_linux_virtual_machine.app runs the Azure Connected Machine agent"
        " on an Azure VM, where it is not supported outside a complete evaluation setup (shared/onboard.sh:3)",
        "    shared/onboard.sh:3: azcmagent connect --resource-group rg-arc --location westeurope",
        _summary(1, 2).rstrip("\n"),  # live/prod/main.tf and the script: live/dev does not name it
    ]
    code, out, err = cli.scan(tmp_path, "shared/unused.sh")
    assert (code, out, err) == (0, _summary(0, 1).replace("1 targets", "0 targets"), "")


# --- the real pre-commit ------------------------------------------------------------------------------------

GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.org",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.org",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False)


@pytest.fixture(scope="module")
def pre_commit(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str], Path]:
    """The ``pre-commit`` executable (installed from PyPI into a temporary venv), the environment to run it in,
    and a git repository holding this working tree as one commit (what ``repo:`` points at)."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    if not (REPO / ".git").exists():
        pytest.skip("this checkout is not a git working tree: pre-commit needs a repository to clone")
    base = tmp_path_factory.mktemp("pre-commit")
    venv = base / "venv"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TF_VAR_", "PKR_VAR_", "GIT_"))}
    env.update(GIT_ENV, HOME=str(base), PRE_COMMIT_HOME=str(base / "cache"))
    made = _run([sys.executable, "-m", "venv", str(venv)], base, env)
    pip = _run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "pre-commit"], base, env)
    if made.returncode or pip.returncode:
        pytest.skip(f"pre-commit cannot be installed from PyPI here: {(made.stderr + pip.stderr).strip()[-300:]}")
    source = base / "arclint"
    listed = _run(["git", "ls-files", "-co", "--exclude-standard", "-z"], REPO, env)
    assert listed.returncode == 0, listed.stderr
    for name in filter(None, listed.stdout.split("\0")):
        if (REPO / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, source / name)
    for args in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-qm", "arclint under test"]):
        assert _run(args, source, env).returncode == 0
    return venv / "bin" / "pre-commit", env, source


def _user_repo(root: Path, source: Path, env: dict[str, str]) -> Path:
    rev = _run(["git", "rev-parse", "HEAD"], source, env).stdout.strip()
    config = (
        f"repos:\n  - repo: {source}\n    rev: {rev}\n    hooks:\n"
        f'      - id: arclint\n        args: [--as-of, "{AS_OF.isoformat()}"]\n'
    )
    _project(root, **{".pre-commit-config.yaml": config})
    for args in (["git", "init", "-q"], ["git", "add", "-A"]):
        assert _run(args, root, env).returncode == 0
    return root


def _install_hooks(exe: Path, repo: Path, env: dict[str, str]) -> None:
    """pre-commit builds the hook's environment (pip installs arclint and its dependencies): skip when that
    cannot be done here (no package index)."""
    run = _run([str(exe), "install-hooks"], repo, env)
    if run.returncode:
        pytest.skip(f"pre-commit cannot install the hook's environment here: {(run.stdout + run.stderr)[-300:]}")


def test_pre_commit_fails_on_a_file_that_onboards_an_azure_vm_and_passes_after_the_fix(
    pre_commit: tuple[Path, dict[str, str], Path], tmp_path: Path
) -> None:
    exe, env, source = pre_commit
    repo = _user_repo(tmp_path, source, env)
    _install_hooks(exe, repo, env)
    # only main.tf: the script path is a variable default in variables.tf
    run = _run([str(exe), "run", "--files", "main.tf"], repo, env)
    assert run.returncode == 1, run.stdout + run.stderr
    assert ARC101 + _summary(1, 2) in run.stdout
    write(
        repo,
        {"main.tf": VM.replace('  custom_data         = base64encode(file("${path.module}/${var.script}"))\n', "")},
    )
    run = _run([str(exe), "run", "--files", "main.tf"], repo, env)
    assert run.returncode == 0, run.stdout + run.stderr
    assert re.search(r"^arclint\.+Passed$", run.stdout, re.MULTILINE), run.stdout


def test_a_commit_that_changes_only_the_onboarding_script_fails(
    pre_commit: tuple[Path, dict[str, str], Path], tmp_path: Path
) -> None:
    exe, env, source = pre_commit
    repo = _user_repo(tmp_path, source, env)
    _install_hooks(exe, repo, env)
    write(repo, {"scripts/onboard.sh": HARMLESS})
    assert _run(["git", "add", "-A"], repo, env).returncode == 0
    assert _run(["git", "commit", "-qm", "start", "--no-verify"], repo, env).returncode == 0
    assert _run([str(exe), "install"], repo, env).returncode == 0
    write(repo, {"scripts/other.sh": HARMLESS + "echo more\n"})  # a script nothing onboards with: passes
    assert _run(["git", "add", "scripts/other.sh"], repo, env).returncode == 0
    run = _run(["git", "commit", "-qm", "other"], repo, env)
    assert run.returncode == 0, run.stdout + run.stderr
    write(repo, {"scripts/onboard.sh": ONBOARD})
    assert _run(["git", "add", "scripts/onboard.sh"], repo, env).returncode == 0
    run = _run(["git", "commit", "-qm", "onboard"], repo, env)
    assert run.returncode == 1, run.stdout + run.stderr
    assert ARC101 + _summary(1, 3) in run.stdout + run.stderr  # git prints what the hook printed on stderr
    assert _run(["git", "rev-list", "--count", "HEAD"], repo, env).stdout == "2\n"
