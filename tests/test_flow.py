"""Written is not run: files scripts write count only when something runs (now) or registers (deferred) them."""

from __future__ import annotations

from arclint.core.document import Loc
from arclint.core.values import Traced
from arclint.model.flow import Flow
from arclint.model.target import Target

from conftest import brief, run_scan, script_fixture, write

MSI = "msiexec /i C:\\Windows\\Temp\\AzureConnectedMachineAgent.msi /qn /l*v C:\\Windows\\Temp\\azcmagent.log\n"


def follow(text: str, name: str = "s.sh") -> list[tuple[str, str, list[int]]]:
    """(kind, when, lines of the chain and the signal) of each signal the script contributes."""
    target = Target("t", "aws_instance", "aws", "machine", Loc("main.tf", 1, 1))
    Flow(target, None).text(Traced.from_file(text, name), Loc("main.tf", 1, 1))
    return [(f.signal.kind, f.when, [e.line for e in f.trail()]) for f in target.onboarding.found]


PS_TASK = script_fixture("first-boot-task.ps1")


def test_here_string_written_and_registered_as_a_startup_task_is_deferred() -> None:
    assert follow(MSI + PS_TASK, "s.ps1") == [("install", "now", [1]), ("connect", "deferred", [5, 6, 3])]


def test_here_string_written_and_run_is_now() -> None:
    text = PS_TASK.split("$action")[0] + "& C:\\ProgramData\\Arc\\connect.ps1\n"
    assert follow(text, "s.ps1") == [("connect", "now", [4, 5, 2])]


def test_here_string_written_and_never_run_counts_for_nothing() -> None:
    assert follow(PS_TASK.split("$action")[0], "s.ps1") == []


def test_here_string_piped_to_out_file_and_run_with_powershell_file() -> None:
    text = (
        "@'\n"
        "azcmagent connect -g rg -l westeurope\n"
        "'@ | Out-File -FilePath C:\\arc\\c.ps1 -Encoding ascii\n"
        "powershell.exe -ExecutionPolicy Bypass -File C:\\arc\\c.ps1\n"
    )
    assert follow(text, "s.ps1") == [("connect", "now", [3, 4, 2])]


def test_a_run_before_the_write_does_not_run_it() -> None:
    text = "& C:\\arc\\c.ps1\n@'\nazcmagent connect -g rg\n'@ | Set-Content C:\\arc\\c.ps1\n"
    assert follow(text, "s.ps1") == []


def test_one_line_writes_set_content_value_and_write_all_text() -> None:
    text = (
        "Set-Content -Path C:\\arc\\c.ps1 -Value 'azcmagent connect -g rg'\n"
        "[IO.File]::WriteAllText('C:\\arc\\d.ps1', 'azcmagent connect -g other')\n"
        "& C:\\arc\\d.ps1\n"
    )
    assert follow(text, "s.ps1") == [("connect", "now", [2, 3, 2])]


def test_heredoc_to_a_file_run_with_bash_is_now_and_unrun_is_nothing() -> None:
    text = (
        "cat > /opt/arc/connect.sh <<'EOF'\n"
        "#!/bin/bash\n"
        "azcmagent connect -g rg -l westeurope\n"
        "EOF\n"
        "cat <<EOF | sudo tee /opt/arc/never.sh >/dev/null\n"
        "azcmagent connect -g other\n"
        "EOF\n"
        "chmod +x /opt/arc/connect.sh\n"
        "sudo bash /opt/arc/connect.sh\n"
    )
    assert follow(text) == [("connect", "now", [1, 9, 3])]


def test_heredoc_fed_to_a_shell_still_runs_now() -> None:
    assert follow("sudo bash <<EOF\nazcmagent connect -g rg\nEOF\n") == [("connect", "now", [2])]


def test_echo_lines_appended_to_a_file_and_run_with_dot_slash() -> None:
    text = (
        "echo '#!/bin/bash' > /opt/arc.sh\n"
        "echo 'azcmagent connect -g rg' >> /opt/arc.sh\n"
        "echo 'MSFT_ARC_TEST=true' >> /etc/environment\n"
        "cd /opt && ./arc.sh\n"
    )
    assert follow(text) == [("test-flag", "now", [3]), ("connect", "now", [2, 4, 2])]


def test_printf_to_a_file_never_run_is_nothing() -> None:
    assert follow("printf 'azcmagent connect -g rg\\n' > /opt/arc.sh\nchmod +x /opt/arc.sh\n") == []


CLOUD_INIT = """#cloud-config
write_files:
  - path: /opt/arc/connect.sh
    permissions: '0755'
    content: |
      #!/bin/bash
      azcmagent connect -g rg -l westeurope
  - path: /var/lib/cloud/scripts/per-instance/arc.sh
    content: |
      azcmagent connect -g per-instance
  - path: /opt/arc/unused.sh
    content: |
      azcmagent connect -g unused
runcmd:
  - [ bash, /opt/arc/connect.sh ]
"""


def test_cloud_init_write_files_run_by_runcmd_registered_by_folder_or_unused() -> None:
    assert follow(CLOUD_INIT, "user-data.yaml") == [
        ("connect", "deferred", [8, 10]),
        ("connect", "now", [3, 15, 7]),
    ]


def test_systemd_unit_enabled_is_deferred_and_enable_now_is_now() -> None:
    text = """cat > /usr/local/bin/arc-connect.sh <<'EOF'
azcmagent connect -g rg
EOF
cat <<EOF | sudo tee /etc/systemd/system/arc-connect.service >/dev/null
[Service]
Type=oneshot
ExecStart=/usr/local/bin/arc-connect.sh
EOF
sudo systemctl enable arc-connect
"""
    assert follow(text) == [("connect", "deferred", [1, 4, 9, 7, 2])]
    assert follow(text.replace("enable arc-connect", "enable --now arc-connect.service")) == [
        ("connect", "now", [1, 4, 9, 7, 2])
    ]


def test_reboot_cron_registers_even_before_the_file_is_written() -> None:
    text = (
        '(crontab -l 2>/dev/null; echo "@reboot /opt/arc/connect.sh") | crontab -\n'
        "cat > /opt/arc/connect.sh <<EOF\n"
        "azcmagent connect -g rg\n"
        "EOF\n"
    )
    assert follow(text) == [("connect", "deferred", [2, 1, 3])]


def test_rc_local_and_runonce_register_for_the_next_boot() -> None:
    rc = "cat > /opt/arc/connect.sh <<EOF\nazcmagent connect -g rg\nEOF\necho '/opt/arc/connect.sh' >> /etc/rc.local\n"
    assert follow(rc) == [("connect", "deferred", [1, 4, 2])]
    runonce = (
        "Set-Content -Path C:\\arc\\c.ps1 -Value 'azcmagent connect -g rg'\n"
        "Set-ItemProperty -Path 'HKLM:\\Software\\Microsoft\\Windows\\CurrentVersion\\RunOnce' "
        "-Name Arc -Value 'powershell -File C:\\arc\\c.ps1'\n"
    )
    assert follow(runonce, "s.ps1") == [("connect", "deferred", [1, 2, 1])]


def test_setupcomplete_and_unattend_first_logon_commands_are_deferred() -> None:
    setup = (
        "Set-Content -Path C:\\arc\\c.ps1 -Value 'azcmagent connect -g rg'\n"
        "Set-Content -Path C:\\Windows\\Setup\\Scripts\\SetupComplete.cmd "
        "-Value 'powershell -ExecutionPolicy Bypass -File C:\\arc\\c.ps1'\n"
    )
    assert follow(setup, "s.ps1") == [("connect", "deferred", [1, 2, 1])]
    unattend = """Set-Content -Path C:\\arc\\c.ps1 -Value 'azcmagent connect -g rg'
@'
<unattend xmlns="urn:schemas-microsoft-com:unattend">
  <settings pass="oobeSystem"><component name="Microsoft-Windows-Shell-Setup">
    <FirstLogonCommands><SynchronousCommand wcm:action="add">
      <Order>1</Order>
      <CommandLine>powershell.exe -ExecutionPolicy Bypass -File C:\\arc\\c.ps1</CommandLine>
    </SynchronousCommand></FirstLogonCommands>
  </component></settings>
</unattend>
'@ | Out-File C:\\Windows\\Panther\\unattend.xml -Encoding utf8
"""
    assert follow(unattend, "s.ps1") == [("connect", "deferred", [1, 11, 7, 1])]


def test_mentioning_a_written_file_is_not_running_it() -> None:
    text = (
        "cat > /opt/arc.sh <<EOF\n"
        "azcmagent connect -g rg\n"
        "EOF\n"
        "chmod +x /opt/arc.sh\n"
        "ls -l /opt/arc.sh\n"
        "echo done: /opt/arc.sh\n"
    )
    assert follow(text) == []


# --- image builds (Packer) ---------------------------------------------------------------------

WINDOWS_BUILD = """
source "azure-arm" "ws2022" {
  os_type                           = "Windows"
  image_publisher                   = "MicrosoftWindowsServer"
  image_offer                       = "WindowsServer"
  image_sku                         = "2022-datacenter-g2"
  vm_size                           = "Standard_D2s_v5"
  managed_image_name                = "golden-ws2022-arc"
  managed_image_resource_group_name = "rg-images"
}

build {
  name    = "ws2022"
  sources = ["source.azure-arm.ws2022"]

  provisioner "powershell" {
    script = "scripts/prepare-arc.ps1"
  }

  provisioner "powershell" {
    inline = ["& $env:SystemRoot\\\\System32\\\\Sysprep\\\\Sysprep.exe /oobe /generalize /quiet /quit /mode:vm"]
  }
}
"""

PREPARE = script_fixture("prepare-arc.ps1")  # writes connect.ps1; RUN_NOW or REGISTER follows

REGISTER = script_fixture("register-first-boot.ps1")

RUN_NOW = "& C:\\ProgramData\\ArcBoot\\connect.ps1\n"


def test_windows_build_that_registers_the_written_connect_for_first_boot_gives_nothing(project) -> None:
    report = project({"ws2022.pkr.hcl": WINDOWS_BUILD, "scripts/prepare-arc.ps1": PREPARE + REGISTER})
    assert brief(report) == []
    assert not report.failed("warning")


def test_windows_build_that_runs_the_written_connect_is_arc201_with_the_write_and_run_lines(project) -> None:
    report = project({"ws2022.pkr.hcl": WINDOWS_BUILD, "scripts/prepare-arc.ps1": PREPARE + RUN_NOW})
    assert brief(report) == [("ARC201", "ws2022.pkr.hcl", 12, "build.ws2022", "error")]
    evidence = [(e.file, e.line) for e in report.findings[0].evidence]
    assert evidence == [
        ("scripts/prepare-arc.ps1", 10),
        ("scripts/prepare-arc.ps1", 11),
        ("scripts/prepare-arc.ps1", 7),
    ]
    assert (
        "scripts/prepare-arc.ps1:10, scripts/prepare-arc.ps1:11, scripts/prepare-arc.ps1:7"
        in report.findings[0].message
    )


def test_file_provisioner_upload_installed_into_a_cloud_init_per_instance_folder_is_deferred(project) -> None:
    pkr = """
source "amazon-ebs" "ubuntu" {
  region        = "eu-west-1"
  instance_type = "t3.small"
  ami_name      = "golden-ubuntu-{{timestamp}}"
  source_ami_filter {
    filters = { name = "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*" }
    owners  = ["099720109477"]
  }
}

build {
  name    = "golden"
  sources = ["source.amazon-ebs.ubuntu"]
  provisioner "file" {
    source      = "scripts/arc-connect.sh"
    destination = "/tmp/arc-connect.sh"
  }
  provisioner "shell" {
    inline = ["sudo install -m 0755 /tmp/arc-connect.sh /var/lib/cloud/scripts/per-instance/arc-connect.sh"]
  }
}
"""
    files = {"golden.pkr.hcl": pkr, "scripts/arc-connect.sh": "#!/bin/bash\nazcmagent connect --config /etc/arc.json\n"}
    assert brief(project(files)) == []
    files["golden.pkr.hcl"] = pkr.replace(
        "sudo install -m 0755 /tmp/arc-connect.sh /var/lib/cloud/scripts/per-instance/arc-connect.sh",
        "sudo bash /tmp/arc-connect.sh",
    )
    assert brief(project(files)) == [("ARC201", "golden.pkr.hcl", 12, "build.golden", "error")]


LINUX_BUILD = """
source "amazon-ebs" "ubuntu" {
  region        = "eu-west-1"
  instance_type = "t3.small"
  ami_name      = "golden-ubuntu-{{timestamp}}"
  source_ami_filter {
    filters = { name = "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*" }
    owners  = ["099720109477"]
  }
}

build {
  name    = "golden"
  sources = ["source.amazon-ebs.ubuntu"]
  provisioner "shell" {
    script = "scripts/arc.sh"
  }
}
"""

CONNECT_SH = (
    "#!/bin/bash\n"
    "set -euo pipefail\n"
    "curl -sSL https://aka.ms/azcmagent -o /tmp/install_linux_azcmagent.sh\n"
    "sudo bash /tmp/install_linux_azcmagent.sh\n"
    "sudo azcmagent connect --config /tmp/arc.json\n"
)


def test_connect_then_disconnect_force_local_only_is_an_arc201_warning(project) -> None:
    script = CONNECT_SH + "sudo azcmagent check\nsudo azcmagent disconnect --force-local-only\n"
    report = project({"golden.pkr.hcl": LINUX_BUILD, "scripts/arc.sh": script})
    assert brief(report) == [("ARC201", "golden.pkr.hcl", 12, "build.golden", "warning")]
    assert report.findings[0].message == (
        "build.golden connects the Azure Connected Machine agent while building an image and then runs "
        "`azcmagent disconnect --force-local-only`: the image keeps no Arc identity, but that only resets the local "
        "agent, so the build machine's Arc resource stays behind in Azure as a disconnected machine until you delete "
        "it (scripts/arc.sh:5, scripts/arc.sh:7)"
    )


def test_connect_then_plain_disconnect_deletes_the_resource_and_gives_nothing(project) -> None:
    script = CONNECT_SH + "sudo azcmagent disconnect --config /tmp/arc.json\n"
    report = project({"golden.pkr.hcl": LINUX_BUILD, "scripts/arc.sh": script})
    assert brief(report) == []


def test_connect_then_plain_disconnect_without_credentials_is_an_arc201_warning(project) -> None:
    script = CONNECT_SH + "sudo azcmagent disconnect\n"
    report = project({"golden.pkr.hcl": LINUX_BUILD, "scripts/arc.sh": script})
    assert [(f.rule, f.severity) for f in report.findings] == [("ARC201", "warning")]
    assert "runs `azcmagent disconnect` without credentials: the disconnect must sign in" in report.findings[0].message


def test_disconnect_before_the_connect_leaves_the_identity(project) -> None:
    script = CONNECT_SH.replace(
        "sudo azcmagent connect", "sudo azcmagent disconnect -f || true\nsudo azcmagent connect"
    )
    report = project({"golden.pkr.hcl": LINUX_BUILD, "scripts/arc.sh": script})
    assert brief(report) == [("ARC201", "golden.pkr.hcl", 12, "build.golden", "error")]


def test_connect_after_a_disconnect_is_connected_again(project) -> None:
    script = (
        CONNECT_SH + "sudo azcmagent disconnect --force-local-only\nsudo azcmagent connect --config /tmp/arc2.json\n"
    )
    report = project({"golden.pkr.hcl": LINUX_BUILD, "scripts/arc.sh": script})
    assert brief(report) == [("ARC201", "golden.pkr.hcl", 12, "build.golden", "error")]


LINUX_FIRST_BOOT = """#!/bin/bash
set -euo pipefail
curl -sSL https://aka.ms/azcmagent -o /tmp/install_linux_azcmagent.sh
sudo bash /tmp/install_linux_azcmagent.sh
sudo mkdir -p /var/lib/cloud/scripts/per-instance
sudo tee /var/lib/cloud/scripts/per-instance/arc-connect.sh >/dev/null <<'EOF'
#!/bin/bash
azcmagent connect --config /etc/arc.json --resource-name "$(hostname)"
EOF
sudo chmod 0755 /var/lib/cloud/scripts/per-instance/arc-connect.sh
"""

IMAGES = (
    WINDOWS_BUILD
    + """
source "googlecompute" "debian" {
  project_id              = "acme-images"
  zone                    = "europe-west1-b"
  source_image_family     = "debian-10"
  source_image_project_id = "debian-cloud"
  image_name              = "golden-debian10-arc"
}

source "amazon-ebs" "xenial" {
  region        = "eu-west-1"
  instance_type = "t3.small"
  ami_name      = "golden-xenial-{{timestamp}}"
  source_ami_filter {
    filters = { name = "ubuntu/images/hvm-ssd/ubuntu-xenial-16.04-amd64-server-*" }
    owners  = ["099720109477"]
  }
}

build {
  name    = "linux"
  sources = ["source.googlecompute.debian", "source.amazon-ebs.xenial"]
  provisioner "shell" {
    script = "scripts/arc-first-boot.sh"
  }
}
"""
)

MACHINES = (
    """
resource "azurerm_windows_virtual_machine" "app" {
  name                = "vm-app"
  resource_group_name = "rg-app"
  location            = "westeurope"
  size                = "Standard_D2s_v5"
  admin_username      = "azureadmin"
  admin_password      = var.admin_password
  source_image_id     = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-images/"""
    """providers/Microsoft.Compute/images/golden-ws2022-arc"
}

resource "google_compute_instance" "web" {
  name         = "web"
  machine_type = "e2-small"
  zone         = "europe-west1-b"
  boot_disk {
    initialize_params {
      image = "golden-debian10-arc"
    }
  }
  network_interface {
    network = "default"
  }
}

data "aws_ami" "golden" {
  most_recent = true
  owners      = ["self"]
  filter {
    name   = "name"
    values = ["golden-xenial-*"]
  }
}

resource "aws_instance" "api" {
  ami           = data.aws_ami.golden.id
  instance_type = "t3.medium"
}

variable "admin_password" {
  sensitive = true
}
"""
)


def test_image_that_defers_the_connect_makes_its_machines_onboard_at_first_boot(project) -> None:
    report = project(
        {
            "packer/images.pkr.hcl": IMAGES,
            "packer/scripts/prepare-arc.ps1": PREPARE + REGISTER,
            "packer/scripts/arc-first-boot.sh": LINUX_FIRST_BOOT,
            "terraform/main.tf": MACHINES,
        }
    )
    assert brief(report) == [
        ("ARC402", "packer/images.pkr.hcl", 43, "build.linux[amazon-ebs.xenial]", "error"),
        ("ARC402", "packer/images.pkr.hcl", 43, "build.linux[googlecompute.debian]", "error"),
        ("ARC101", "terraform/main.tf", 2, "azurerm_windows_virtual_machine.app", "error"),
        ("ARC402", "terraform/main.tf", 12, "google_compute_instance.web", "error"),
        ("ARC402", "terraform/main.tf", 35, "aws_instance.api", "error"),
    ]
    arc101 = report.findings[2]
    assert [(e.file, e.line) for e in arc101.evidence] == [
        ("terraform/main.tf", 9),
        ("packer/images.pkr.hcl", 8),
        ("packer/scripts/prepare-arc.ps1", 10),
        ("packer/scripts/prepare-arc.ps1", 11),
        ("packer/scripts/prepare-arc.ps1", 7),
    ]


# --- scripts fetched from the repository itself (Jumpstart style) ---------------------------------

LAB_VM = (
    """resource "azurerm_windows_virtual_machine" "lab" {
  name                = "vm-arc-lab"
  resource_group_name = "rg-arc-lab"
  location            = "westeurope"
  size                = "Standard_D4s_v5"
  admin_username      = "arcdemo"

  source_image_reference {
    publisher = "MicrosoftWindowsServer"
    offer     = "WindowsServer"
    sku       = "2022-datacenter-g2"
    version   = "latest"
  }
}

resource "azurerm_virtual_machine_extension" "bootstrap" {
  name                 = "Bootstrap"
  virtual_machine_id   = azurerm_windows_virtual_machine.lab.id
  publisher            = "Microsoft.Compute"
  type                 = "CustomScriptExtension"
  type_handler_version = "1.10"
  settings = jsonencode({
    fileUris         = ["%s"]
    commandToExecute = "powershell.exe -ExecutionPolicy Bypass -File Bootstrap.ps1 -adminUsername """
    """arcdemo -resourceGroup rg-arc-lab"
  })
}
"""
)

BOOTSTRAP_URL = "https://raw.githubusercontent.com/acme/arc-lab/main/artifacts/Bootstrap.ps1"

BOOTSTRAP = script_fixture("lab-bootstrap.ps1")

ARC_CONNECT = script_fixture("lab-arc-connect.ps1")

GIT_CONFIG = """[core]
\trepositoryformatversion = 0
\tbare = false
[remote "origin"]
\turl = %s
\tfetch = +refs/heads/*:refs/remotes/origin/*
[branch "main"]
\tremote = origin
"""


def _lab(root, url: str = BOOTSTRAP_URL, remote: str | None = "https://github.com/acme/arc-lab.git"):  # type: ignore[no-untyped-def]
    write(
        root,
        {"infra/main.tf": LAB_VM % url, "artifacts/Bootstrap.ps1": BOOTSTRAP, "artifacts/ArcConnect.ps1": ARC_CONNECT},
    )
    if remote is not None:
        write(root, {".git/config": GIT_CONFIG % remote, ".git/HEAD": "ref: refs/heads/main\n"})
    return run_scan(root / "infra")


def test_extension_script_from_this_repository_that_registers_a_downloaded_connect_is_arc101(tmp_path) -> None:
    report = _lab(tmp_path)
    assert brief(report) == [
        ("ARC101", "main.tf", 1, "azurerm_windows_virtual_machine.lab", "error"),
        ("ARC504", "main.tf", 1, "azurerm_windows_virtual_machine.lab", "info"),  # the secret from $env:spnClientSecret
    ]
    evidence = report.findings[0].evidence
    assert [(e.file, e.line) for e in evidence] == [
        ("main.tf", 22),
        ("../artifacts/Bootstrap.ps1", 9),
        ("../artifacts/Bootstrap.ps1", 13),
        ("../artifacts/ArcConnect.ps1", 4),
    ]
    assert "artifacts/Bootstrap.ps1 in this git work tree: the checked-out version" in evidence[0].text
    assert "artifacts/ArcConnect.ps1 in this git work tree: the checked-out version" in evidence[1].text
    assert "--service-principal-secret $env:spnClientSecret" in evidence[3].text


def test_the_same_files_without_the_git_remote_are_arc002(tmp_path) -> None:
    report = _lab(tmp_path, remote=None)
    assert brief(report) == [("ARC002", "main.tf", 1, "azurerm_windows_virtual_machine.lab", "info")]
    assert (
        "Bootstrap.ps1 is downloaded from https://raw.githubusercontent.com/acme/arc-lab/main/artifacts/Bootstrap.ps1"
        in report.findings[0].message
    )


def test_another_repository_stays_arc002(tmp_path) -> None:
    report = _lab(tmp_path, remote="https://github.com/contoso/arc-lab.git")
    assert brief(report) == [("ARC002", "main.tf", 1, "azurerm_windows_virtual_machine.lab", "info")]


def test_ssh_remote_in_a_linked_worktree_with_any_case_and_a_github_raw_url(tmp_path) -> None:
    lab = tmp_path / "lab"
    write(
        tmp_path,
        {".bare/config": GIT_CONFIG % "git@github.com:ACME/Arc-Lab.git", ".bare/worktrees/lab/commondir": "../..\n"},
    )
    write(lab, {".git": "gitdir: ../.bare/worktrees/lab\n"})
    report = _lab(lab, url="https://github.com/Acme/arc-lab/raw/main/artifacts/Bootstrap.ps1", remote=None)
    assert brief(report, "ARC101") == [("ARC101", "main.tf", 1, "azurerm_windows_virtual_machine.lab", "error")]
    for remote in ("ssh://git@github.com/acme/arc-lab.git", "https://github.com/acme/arc-lab"):
        (tmp_path / ".bare" / "config").write_text(GIT_CONFIG % remote)
        assert brief(run_scan(lab / "infra"), "ARC101") == [
            ("ARC101", "main.tf", 1, "azurerm_windows_virtual_machine.lab", "error")
        ]


def test_a_repository_url_never_reads_outside_the_work_tree(tmp_path) -> None:
    tree = tmp_path / "tree"
    write(tmp_path, {"Bootstrap.ps1": "azcmagent connect -g outside\n"})
    report = _lab(tree, url="https://raw.githubusercontent.com/acme/arc-lab/main/../../../Bootstrap.ps1")
    assert brief(report) == [("ARC002", "main.tf", 1, "azurerm_windows_virtual_machine.lab", "info")]
    assert "is not in the work tree" in report.findings[0].message


def test_a_repository_file_missing_from_the_work_tree_is_arc002_when_it_is_run(tmp_path) -> None:
    report = _lab(tmp_path, url="https://raw.githubusercontent.com/acme/arc-lab/main/artifacts/Missing.ps1")
    assert brief(report) == []  # commandToExecute runs Bootstrap.ps1, not Missing.ps1
    (tmp_path / "artifacts" / "ArcConnect.ps1").unlink()
    (tmp_path / "infra" / "main.tf").write_text(LAB_VM % BOOTSTRAP_URL)
    report = run_scan(tmp_path / "infra")
    assert brief(report) == [("ARC002", "main.tf", 1, "azurerm_windows_virtual_machine.lab", "info")]
    assert "artifacts/ArcConnect.ps1 is not in the work tree" in report.findings[0].message


def test_pathological_writes_stay_linear() -> None:
    import time

    cases = [
        "@'\nazcmagent connect\n" * 20000,  # here-strings never closed
        "".join(f"$v{i} = @'\nazcmagent connect -g {i}\n'@\n" for i in range(3000)),  # stored, never written
        "#cloud-config\nwrite_files:\n" + "  - path: /opt/a.sh\n    content: |\n      azcmagent connect\n" * 20000,
        "Set-Content azcmagent " * 3000 + "\n",
    ]
    for text in cases:
        start = time.perf_counter()
        target = Target("t", "aws_instance", "aws", "machine", Loc("main.tf", 1, 1))
        Flow(target, None).text(text, Loc("main.tf", 1, 1))
        assert time.perf_counter() - start < 10, text[:40]
        assert len(target.onboarding.pending) <= 200
