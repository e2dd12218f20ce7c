"""Tests for arclint.model.scripts: onboarding signals in shell, PowerShell, cmd and cloud-init text."""

from __future__ import annotations

import base64
import dataclasses
import gzip
import textwrap

import pytest
from arclint.core.redact import mask_secrets
from arclint.model.scripts import KINDS, Signal, decode_base64_script
from arclint.model.signals import scan

from conftest import script_fixture

FAKE_SECRET = "Qx8Q~fakeSecretForTests.ab12_CD34"


def kinds(text: str) -> list[str]:
    return [s.kind for s in scan(text)]


def only(text: str, kind: str) -> Signal:
    found = [s for s in scan(text) if s.kind == kind]
    assert len(found) == 1, found
    return found[0]


def script(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


# --- evaluation on an Azure VM ----------------------------------------------------------------

EVAL_LINUX_UFW = script(
    """
    #!/bin/bash
    # Evaluation lab only: simulate an on-premises server on an Azure VM
    export MSFT_ARC_TEST=true
    sudo systemctl set-environment MSFT_ARC_TEST=true
    sudo systemctl stop walinuxagent
    sudo systemctl disable walinuxagent
    sudo ufw --force enable
    sudo ufw deny out from any to 169.254.169.254
    sudo ufw default allow incoming
    """
)

EVAL_LINUX_FIREWALLD = script(
    """
    #!/bin/sh
    echo "MSFT_ARC_TEST=true" | sudo tee -a /etc/environment
    sudo systemctl stop waagent.service
    sudo systemctl mask waagent.service
    sudo firewall-cmd --permanent --direct --add-rule ipv4 filter OUTPUT 1 -p tcp -d 169.254.169.254 -j REJECT
    sudo firewall-cmd --reload
    """
)

EVAL_LINUX_IPTABLES = script(
    """
    current_hostname=$(hostname)
    sudo service walinuxagent stop
    sudo waagent -deprovision -force
    sudo rm -rf /var/lib/waagent
    sudo hostnamectl set-hostname "$current_hostname"
    sudo iptables -I OUTPUT 1 -d 169.254.169.254 -j REJECT
    export MSFT_ARC_TEST="true"
    """
)

EVAL_WINDOWS = script(
    """
    [System.Environment]::SetEnvironmentVariable("MSFT_ARC_TEST",'true', [System.EnvironmentVariableTarget]::Machine)
    Set-Service WindowsAzureGuestAgent -StartupType Disabled -Verbose
    Stop-Service WindowsAzureGuestAgent -Force -Verbose
    New-NetFirewallRule -Name BlockAzureIMDS -DisplayName "Block access to Azure IMDS" -Enabled True `
        -Profile Any -Direction Outbound -Action Block -RemoteAddress 169.254.169.254
    """
)

EVALUATION_KINDS = {"test-flag", "guest-agent-disabled", "imds-blocked"}


@pytest.mark.parametrize(
    ("text", "tool"),
    [
        (EVAL_LINUX_UFW, "ufw"),
        (EVAL_LINUX_FIREWALLD, "firewall-cmd"),
        (EVAL_LINUX_IPTABLES, "iptables"),
        (EVAL_WINDOWS, "powershell"),
    ],
    ids=["linux-ufw", "linux-firewalld", "linux-iptables", "windows"],
)
def test_evaluation_steps_are_all_found(text: str, tool: str) -> None:
    found = scan(text)
    assert {s.kind for s in found} >= EVALUATION_KINDS
    assert only(text, "imds-blocked").detail == {"tool": tool}


def test_evaluation_signals_point_at_their_lines() -> None:
    found = [(s.kind, s.line, dict(s.detail)) for s in scan(EVAL_LINUX_UFW)]
    assert found == [
        ("test-flag", 2, {}),
        ("test-flag", 3, {}),
        ("guest-agent-disabled", 4, {"action": "stop"}),
        ("guest-agent-disabled", 5, {"action": "disable"}),
        ("imds-blocked", 7, {"tool": "ufw"}),
    ]


def test_deprovision_variant_disables_and_generalizes() -> None:
    found = [(s.kind, s.line, dict(s.detail)) for s in scan(EVAL_LINUX_IPTABLES)]
    assert found == [
        ("guest-agent-disabled", 1, {"action": "stop"}),
        ("guest-agent-disabled", 2, {"action": "deprovision"}),
        ("generalize", 2, {"tool": "waagent"}),
        ("guest-agent-disabled", 3, {"action": "remove"}),
        ("imds-blocked", 5, {"tool": "iptables"}),
        ("test-flag", 6, {}),
    ]


def test_windows_firewall_rule_across_backticks_is_one_signal_at_its_first_line() -> None:
    sig = only(EVAL_WINDOWS, "imds-blocked")
    assert sig.line == 3
    assert sig.text.startswith("New-NetFirewallRule -Name BlockAzureIMDS")
    assert sig.text.endswith("-Action Block -RemoteAddress 169.254.169.254")
    assert "`" not in sig.text


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("export MSFT_ARC_TEST=true", "test-flag"),
        ("sudo systemctl set-environment MSFT_ARC_TEST=true", "test-flag"),
        ("MSFT_ARC_TEST=true", "test-flag"),
        ("setx MSFT_ARC_TEST true /M", "test-flag"),
        ('$env:MSFT_ARC_TEST = "true"', "test-flag"),
        ("[Environment]::SetEnvironmentVariable('MSFT_ARC_TEST', 'true', 'Process')", "test-flag"),
        ("echo 'MSFT_ARC_TEST=true' >> /etc/environment", "test-flag"),
        ("sudo systemctl stop walinuxagent.service", "guest-agent-disabled"),
        ("sudo systemctl disable --now walinuxagent", "guest-agent-disabled"),
        ("sudo apt-get purge -y walinuxagent", "guest-agent-disabled"),
        ("sudo yum remove -y WALinuxAgent", "guest-agent-disabled"),
        ("sc config WindowsAzureGuestAgent start= disabled", "guest-agent-disabled"),
        ("Get-Service WindowsAzureGuestAgent | Stop-Service -Force", "guest-agent-disabled"),
        ("sudo ufw reject out to 169.254.169.254 port 80", "imds-blocked"),
        ("sudo ip6tables -A OUTPUT -d 169.254.169.254/32 -p tcp -j DROP", "imds-blocked"),
        ("iptables --insert OUTPUT --destination 169.254.169.254 --jump REJECT", "imds-blocked"),
        ("sudo nft add rule inet filter output ip daddr 169.254.169.254 drop", "imds-blocked"),
        (
            'sudo firewall-cmd --permanent --add-rich-rule=\'rule family="ipv4" destination '
            'address="169.254.169.254" reject\'',
            "imds-blocked",
        ),
        (
            "New-NetFirewallRule -RemoteAddress 169.254.169.254 -Action Block -Direction Outbound -Name IMDS",
            "imds-blocked",
        ),
        ("netsh advfirewall firewall add rule name=imds dir=out action=block remoteip=169.254.169.254", "imds-blocked"),
    ],
)
def test_single_evaluation_lines(line: str, expected: str) -> None:
    assert kinds(line) == [expected]


# --- onboarding scripts -----------------------------------------------------------------------

# whole scripts live in tests/fixtures/scripts; signal lines count from 0 (line 10 is the file's line 11)
PORTAL_LINUX = script_fixture("portal-linux.sh").replace("SECRET_PLACEHOLDER", FAKE_SECRET)

PORTAL_WINDOWS = script_fixture("portal-windows.ps1")


def test_portal_generated_linux_script() -> None:
    found = scan(PORTAL_LINUX)
    assert [(s.kind, s.line) for s in found] == [("secret", 2), ("install", 11), ("install", 13), ("connect", 18)]
    from arclint.model.connect_secrets import digest

    secret = PORTAL_LINUX.split('ServicePrincipalClientSecret="', 1)[1].split('"', 1)[0]
    assert dict(found[0].detail) == {
        "value": "literal",
        "via": "--service-principal-secret $ServicePrincipalClientSecret",
        "digest": digest(secret),
    }
    assert secret not in found[0].text
    connect = found[-1]
    assert dict(connect.detail) == {
        "tool": "azcmagent",
        "auth": "service-principal",
        "secret": "variable",
        "resource_group": "$resourceGroup",
    }
    assert all(FAKE_SECRET not in repr(s) for s in found)


def test_portal_generated_windows_script() -> None:
    found = scan(PORTAL_WINDOWS)
    assert [(s.kind, s.line) for s in found] == [("install", 10), ("install", 11), ("connect", 13)]
    assert dict(found[0].detail) == {"method": "script"}
    assert dict(found[-1].detail) == {
        "tool": "azcmagent",
        "auth": "interactive",
        "resource_group": "$env:RESOURCE_GROUP",
    }


JUMPSTART_LIKE = script(
    """
    #!/bin/bash
    sudo apt-get update
    # Download the installation package
    wget https://aka.ms/azcmagent -O ~/install_linux_azcmagent.sh
    # Install the hybrid agent
    sudo bash ~/install_linux_azcmagent.sh
    # Run connect command
    sudo azcmagent connect \\
      --service-principal-id "${appId}" \\
      --service-principal-secret "${password}" \\
      --resource-group "${resourceGroup}" \\
      --tenant-id "${tenantId}" \\
      --location "${location}" \\
      --subscription-id "${subscriptionId}" \\
      --resource-name "${vmName}" \\
      --cloud "AzureCloud" \\
      --tags "Project=jumpstart_azure_arc_servers" \\
      --correlation-id "d009f5dd-dba8-4ac7-bac9-b54ef3a6671a"
    """
)


def test_jumpstart_like_connect_with_backslash_continuations() -> None:
    sig = only(JUMPSTART_LIKE, "connect")
    assert sig.line == 7
    assert sig.offset == JUMPSTART_LIKE.index("sudo azcmagent connect")
    assert dict(sig.detail) == {
        "tool": "azcmagent",
        "auth": "service-principal",
        "resource_name": "${vmName}",
        "resource_group": "${resourceGroup}",
        "secret": "variable",
    }
    assert "\\" not in sig.text
    assert len(sig.text) == 200 and sig.text.endswith("…")
    assert [s.line for s in scan(JUMPSTART_LIKE) if s.kind == "install"] == [3, 5]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "azcmagent connect -g rg -l eastus -s sub",
            {"tool": "azcmagent", "auth": "interactive", "resource_group": "rg"},
        ),
        (
            "azcmagent connect --use-device-code -g rg -l eastus -n web-01",
            {"tool": "azcmagent", "auth": "device-code", "resource_name": "web-01", "resource_group": "rg"},
        ),
        (
            "/usr/bin/azcmagent connect --use-azcli --resource-name=db-01 -g rg",
            {"tool": "azcmagent", "auth": "azcli", "resource_name": "db-01", "resource_group": "rg"},
        ),
        (
            'azcmagent connect --config /etc/arc/onboard.json --resource-name "$(hostname)"',
            {"tool": "azcmagent", "auth": "config", "config": "/etc/arc/onboard.json", "resource_name": "$(hostname)"},
        ),
        (
            "azcmagent connect -i app -t tenant --service-principal-cert /etc/arc/sp.pem -g rg -l eastus",
            {"tool": "azcmagent", "auth": "certificate", "resource_group": "rg"},
        ),
        (
            "azcmagent connect --access-token $TOKEN -g rg -l eastus",
            {"tool": "azcmagent", "auth": "access-token", "secret": "variable", "resource_group": "rg"},
        ),
        (
            "azcmagent.exe connect -i app -p %SP_SECRET% -t tenant -g rg -l eastus",
            {"tool": "azcmagent", "auth": "service-principal", "secret": "variable", "resource_group": "rg"},
        ),
        (
            "azcmagent connect -i app -p $env:SP_SECRET -t tenant -n 'web 01'",
            {"tool": "azcmagent", "auth": "service-principal", "secret": "variable", "resource_name": "web 01"},
        ),
        (
            'azcmagent connect -i app -p "$(cat /run/secrets/arc)" -t tenant',
            {"tool": "azcmagent", "auth": "service-principal", "secret": "variable"},
        ),
        (
            f"sudo azcmagent connect -i app -p '{FAKE_SECRET}' -t tenant --resource-name web-$(hostname -s)",
            {
                "tool": "azcmagent",
                "auth": "service-principal",
                "secret": "literal",
                "resource_name": "web-$(hostname -s)",
            },
        ),
        (
            'Connect-AzConnectedMachine -ResourceGroupName rg -Name "sql-01" -Location eastus',
            {"tool": "powershell", "resource_name": "sql-01", "resource_group": "rg"},
        ),
        ("bash OnboardingScript.sh", {"tool": "onboarding-script"}),
        ("sudo bash /tmp/OnboardingScript.sh", {"tool": "onboarding-script"}),
        ("./OnboardingScript.sh", {"tool": "onboarding-script"}),
        ("& .\\OnboardingScript.ps1", {"tool": "onboarding-script"}),
        ("powershell -ExecutionPolicy Bypass -File C:\\Temp\\OnboardingScript.ps1", {"tool": "onboarding-script"}),
    ],
)
def test_connect_details(line: str, expected: dict[str, str]) -> None:
    assert dict(only(line, "connect").detail) == expected


def test_connect_azcmagent_exe_path_in_powershell() -> None:
    line = '& "$env:ProgramW6432\\AzureConnectedMachineAgent\\azcmagent.exe" connect --resource-group "rg"'
    assert kinds(line) == ["connect"]


def test_connect_powershell_also_installs() -> None:
    assert kinds("Connect-AzConnectedMachine -ResourceGroupName rg -Name web -Location eastus") == [
        "install",
        "connect",
    ]
    assert dict(scan("Connect-AzConnectedMachine -ResourceGroupName rg -Location eastus")[0].detail) == {
        "method": "powershell-module"
    }


@pytest.mark.parametrize(
    ("line", "force", "auth"),
    [
        ("azcmagent disconnect --force-local-only", "true", "interactive"),
        ("sudo azcmagent disconnect -f", "true", "interactive"),
        (
            'azcmagent disconnect --service-principal-id app --service-principal-secret "$S"',
            "false",
            "service-principal",
        ),
        ("azcmagent disconnect --use-device-code", "false", "device-code"),
        ("azcmagent disconnect --config /tmp/arc.json", "false", "config"),
    ],
)
def test_disconnect(line: str, force: str, auth: str) -> None:
    assert dict(only(line, "disconnect").detail) == {"force_local_only": force, "auth": auth}


# --- install ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("wget https://aka.ms/azcmagent -O ~/install_linux_azcmagent.sh", {"method": "script"}),
        ("curl -sSL -o /tmp/install.sh https://gbl.his.arc.azure.com/azcmagent-linux", {"method": "script"}),
        ("bash ~/install_linux_azcmagent.sh --desiredversion 1.44", {"method": "script", "version": "1.44"}),
        (
            "Invoke-WebRequest -Uri https://aka.ms/azcmagent-windows -OutFile install_windows_azcmagent.ps1",
            {"method": "script"},
        ),
        (
            '& "$env:TEMP\\install_windows_azcmagent.ps1" -AltDownload https://mirror.contoso.com/arc/agent.msi',
            {"method": "script", "alt_download": "https://mirror.contoso.com/arc/agent.msi"},
        ),
        (
            "Invoke-WebRequest -Uri https://aka.ms/AzureConnectedMachineAgent -OutFile AzureConnectedMachineAgent.msi",
            {"method": "msi"},
        ),
        (
            "Invoke-WebRequest -Uri https://aka.ms/AzureConnectedMachineAgent-1.39 -OutFile agent.msi",
            {"method": "msi", "version": "1.39"},
        ),
        (
            'msiexec.exe /i AzureConnectedMachineAgent.msi /qn /l*v "C:\\Support\\Logs\\Azcmagentsetup.log"',
            {"method": "msi"},
        ),
        ("msiexec /i C:\\Temp\\AzureConnectedMachineAgent-1.44.msi /qn", {"method": "msi", "version": "1.44"}),
        ("sudo apt-get install -y azcmagent", {"method": "package"}),
        ("sudo apt install azcmagent=1.44.02649.699", {"method": "package", "version": "1.44.02649.699"}),
        ("sudo yum install -y azcmagent-1.44", {"method": "package", "version": "1.44"}),
        ("sudo dnf -y install azcmagent", {"method": "package"}),
        ("sudo zypper install -f azcmagent-1.44", {"method": "package", "version": "1.44"}),
    ],
)
def test_install_details(line: str, expected: dict[str, str]) -> None:
    assert dict(only(line, "install").detail) == expected


def test_install_module_alone_is_not_an_agent_install() -> None:
    assert scan("Install-Module -Name Az.ConnectedMachine -Scope CurrentUser -Force") == ()


# --- generalize and prerequisites ------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "tool"),
    [
        ("& $env:SystemRoot\\System32\\Sysprep\\Sysprep.exe /oobe /generalize /quiet /quit /mode:vm", "sysprep"),
        ("C:\\Windows\\system32\\sysprep\\sysprep.exe /generalize /oobe /shutdown", "sysprep"),
        ("/usr/sbin/waagent -force -deprovision+user && export HISTSIZE=0 && sync", "waagent"),
        ("sudo cloud-init clean --logs --seed", "cloud-init"),
        ("virt-sysprep -a /var/lib/libvirt/images/golden.qcow2", "virt-sysprep"),
    ],
)
def test_generalize(line: str, tool: str) -> None:
    assert dict(only(line, "generalize").detail) == {"tool": tool}


@pytest.mark.parametrize(
    ("line", "packages"),
    [
        ("sudo apt-get remove -y wget", ["wget"]),
        ("apt-get purge -y --auto-remove gnupg openssl", ["gnupg", "openssl"]),
        ("yum erase -y gnupg2", ["gnupg2"]),
        ("dnf remove systemd", ["systemd"]),
        ("zypper rm -y wget", ["wget"]),
        ("rpm -e --nodeps openssl", ["openssl"]),
        ("dpkg --purge wget", ["wget"]),
    ],
)
def test_remove_prerequisites(line: str, packages: list[str]) -> None:
    found = scan(line)
    assert [s.kind for s in found] == ["remove-prereq"] * len(packages)
    assert [s.detail["package"] for s in found] == packages


# --- things that must not count ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "#!/bin/bash",
        "# azcmagent connect --resource-name web-01",
        "    # sudo ufw deny out from any to 169.254.169.254",
        "REM azcmagent connect --resource-name web-01",
        ":: msiexec /i AzureConnectedMachineAgent.msi /qn",
        "<# azcmagent connect --resource-name web-01 #>",
        "<#\nazcmagent connect -g rg\nStop-Service WindowsAzureGuestAgent\n#>",
        'echo "run azcmagent connect later"',
        'Write-Host "Connecting with azcmagent connect" -ForegroundColor Green',
        "Write-Output 'export MSFT_ARC_TEST=true'",
        'echo "azcmagent connect" > /tmp/notes.txt',
        "- name: Connect the server with azcmagent connect",
        'description = "runs azcmagent connect at first boot"',
        'curl -H Metadata:true "http://169.254.169.254/metadata/instance?api-version=2021-02-01"',
        "sudo ufw allow out to 169.254.169.254",
        "sudo ufw delete deny out to 169.254.169.254",
        "sudo iptables -D OUTPUT -d 169.254.169.254 -j REJECT",
        "sudo firewall-cmd --direct --remove-rule ipv4 filter OUTPUT 1 -d 169.254.169.254 -j REJECT",
        "New-NetFirewallRule -Name X -Direction Inbound -RemoteAddress 169.254.169.254 -Action Block",
        "New-NetFirewallRule -Name X -RemoteAddress 169.254.169.254 -Action Block",
        "wget https://example.com/OnboardingScript.sh -O OnboardingScript.sh",
        "chmod +x OnboardingScript.sh",
        "rm -f /tmp/install_linux_azcmagent.sh",
        'Write-Error "See https://aka.ms/azcmagent-testwarning"',
        "msiexec /x AzureConnectedMachineAgent.msi /qn",
        "apt-get remove -y azcmagent",
        "export MSFT_ARC_TEST=false",
        "yum remove -y systemd-networkd",
        "azcmagent show",
        "azcmagent check --location eastus",
        "systemctl status walinuxagent",
        "Get-Service WindowsAzureGuestAgent",
        "Sysprep.exe /audit /reboot",
        "cloud-init status --wait",
        "sudo apt-get update && sudo apt-get upgrade -y",
    ],
)
def test_not_a_signal(text: str) -> None:
    assert scan(text) == ()


def test_trailing_comment_does_not_count() -> None:
    assert scan("sudo apt-get update  # then: azcmagent connect --resource-name web") == ()


def test_statement_after_echo_still_counts() -> None:
    found = scan('echo "connecting"; azcmagent connect --use-device-code -g rg')
    assert [s.kind for s in found] == ["connect"]


def test_echo_piped_to_shell_counts() -> None:
    assert kinds("echo 'azcmagent connect --use-device-code' | sudo bash") == ["connect"]


# --- continuations, lines and offsets ---------------------------------------------------------


def test_backtick_continuation_reported_at_first_line() -> None:
    text = script(
        """
        $ErrorActionPreference = 'Stop'
        & "$env:ProgramFiles\\AzureConnectedMachineAgent\\azcmagent.exe" connect `
            --service-principal-id $appId `
            --service-principal-secret $secret `
            --resource-name $env:COMPUTERNAME `
            --tenant-id $tenantId
        Write-Host 'done'
        """
    )
    sig = only(text, "connect")
    assert (sig.line, sig.offset) == (1, text.index("& "))
    assert sig.detail["resource_name"] == "$env:COMPUTERNAME"
    assert sig.text.endswith("--tenant-id $tenantId")


def test_cmd_caret_continuation() -> None:
    text = "@echo off\r\nmsiexec /i AzureConnectedMachineAgent.msi /qn ^\r\n  REBOOT=ReallySuppress\r\n"
    sig = only(text, "install")
    assert (sig.line, sig.offset) == (1, text.index("msiexec"))
    assert sig.text == "msiexec /i AzureConnectedMachineAgent.msi /qn REBOOT=ReallySuppress"


def test_powershell_pipeline_continuation() -> None:
    text = "Get-Service -Name WindowsAzureGuestAgent |\n    Set-Service -StartupType Disabled\n"
    assert [(s.kind, s.line, dict(s.detail)) for s in scan(text)] == [
        ("guest-agent-disabled", 0, {"action": "disable"})
    ]


def test_offsets_and_lines_match_the_text() -> None:
    text = "\n".join([EVAL_LINUX_UFW, PORTAL_WINDOWS, JUMPSTART_LIKE])
    lines = text.split("\n")
    found = scan(text)
    assert len(found) >= 10
    for sig in found:
        assert text[sig.offset :].split("\n", 1)[0] == lines[sig.line]
        assert sum(len(x) + 1 for x in lines[: sig.line]) == sig.offset
    assert [s.offset for s in found] == sorted(s.offset for s in found)


def test_crlf_offsets() -> None:
    text = "echo start\r\nsudo ufw deny out to 169.254.169.254\r\nexport MSFT_ARC_TEST=true\r\n"
    found = scan(text)
    assert [(s.kind, s.line, s.offset) for s in found] == [
        ("imds-blocked", 1, 12),
        ("test-flag", 2, text.index("export")),
    ]
    assert all("\r" not in s.text for s in found)


# --- cloud-init and Ansible-ish YAML ----------------------------------------------------------

CLOUD_INIT = script_fixture("cloud-init.yaml")


def test_cloud_init_runcmd_and_write_files() -> None:
    found = [(s.kind, s.line, dict(s.detail)) for s in scan(CLOUD_INIT)]
    assert found == [
        ("test-flag", 5, {}),
        ("guest-agent-disabled", 11, {"action": "stop"}),
        ("guest-agent-disabled", 11, {"action": "disable"}),
        ("install", 13, {"method": "script"}),
        (
            "connect",
            14,
            {"tool": "azcmagent", "auth": "service-principal", "secret": "variable", "resource_name": "$(hostname)"},
        ),
        ("secret", 14, {"value": "variable", "via": "--service-principal-secret"}),
        (
            "connect",
            15,
            {
                "tool": "azcmagent",
                "auth": "config",
                "config": "/etc/arc/config.json",
                "resource_name": "web-$(hostname -s)",
            },
        ),
        ("connect", 16, {"tool": "azcmagent", "auth": "device-code", "resource_name": "node-1"}),
        ("imds-blocked", 17, {"tool": "iptables"}),
    ]


def test_ansible_tasks() -> None:
    text = script(
        """
        - name: Install the Connected Machine agent with azcmagent
          ansible.builtin.shell: bash ~/install_linux_azcmagent.sh
        - name: Connect with azcmagent connect
          ansible.builtin.shell: >
            azcmagent connect --access-token "{{ arc_token }}" -n "{{ inventory_hostname }}"
        - name: Say hello
          ansible.builtin.debug:
            msg: "azcmagent connect finished"
        """
    )
    found = [(s.kind, s.line, dict(s.detail)) for s in scan(text)]
    assert found == [
        ("install", 1, {"method": "script"}),
        (
            "connect",
            4,
            {
                "tool": "azcmagent",
                "auth": "access-token",
                "secret": "variable",
                "resource_name": "{{ inventory_hostname }}",
            },
        ),
        ("secret", 4, {"value": "variable", "via": "--access-token"}),
    ]


def test_terraform_inline_strings() -> None:
    text = 'inline = ["sudo azcmagent connect --resource-name \\"web-01\\" --use-device-code", "echo done"]'
    assert dict(only(text, "connect").detail) == {
        "tool": "azcmagent",
        "auth": "device-code",
        "resource_name": "web-01",
    }


# --- secrets ----------------------------------------------------------------------------------

SECRET_SCRIPTS = [
    f"sudo azcmagent connect -i app -t tenant -g rg -l eastus --service-principal-secret {FAKE_SECRET}",
    f'sudo azcmagent connect -i app -t tenant --service-principal-secret "{FAKE_SECRET}" -n web',
    f"azcmagent connect --service-principal-secret={FAKE_SECRET} -i app -t tenant",
    f"azcmagent connect -i app -p '{FAKE_SECRET}' -t tenant",
    f"azcmagent connect -i app \\\n  -p {FAKE_SECRET} \\\n  -t tenant",
    f'& azcmagent.exe connect `\n  --service-principal-secret "{FAKE_SECRET}" `\n  -n web',
    f"azcmagent connect --access-token {FAKE_SECRET} -g rg",
    f'- [ sh, -c, "azcmagent connect -i app -p {FAKE_SECRET} -t t" ]',
    f'inline = ["azcmagent connect -i app -p \\"{FAKE_SECRET}\\" -t t"]',
    f"export ARM_CLIENT_SECRET={FAKE_SECRET}; azcmagent connect -i app -p $ARM_CLIENT_SECRET -t t",
    f'$servicePrincipalSecret = "{FAKE_SECRET}"; Connect-AzConnectedMachine -ResourceGroupName rg -Location x',
    (
        "Invoke-WebRequest -Uri https://aka.ms/AzureConnectedMachineAgent -OutFile a.msi "
        f"-Headers @{{Authorization = 'Bearer {FAKE_SECRET}'}}"
    ),
    f"& .\\install_windows_azcmagent.ps1 -AltDownload 'https://st.blob.core.windows.net/a/agent.msi?sv=2022&sig={FAKE_SECRET}'",
    f'msiexec /i AzureConnectedMachineAgent.msi /qn PASSWORD="{FAKE_SECRET}"',
]


@pytest.mark.parametrize("text", SECRET_SCRIPTS)
def test_secret_never_appears_in_a_signal(text: str) -> None:
    found = scan(text)
    assert found
    for sig in found:
        assert FAKE_SECRET not in repr(sig)
        assert FAKE_SECRET not in sig.text
        assert all(FAKE_SECRET not in v for v in sig.detail.values())
    assert any("****" in sig.text for sig in found)


def test_secret_kind_is_literal_for_plain_values() -> None:
    assert only(SECRET_SCRIPTS[0], "connect").detail["secret"] == "literal"
    assert only(SECRET_SCRIPTS[9], "connect").detail["secret"] == "variable"


@pytest.mark.parametrize(
    ("line", "masked"),
    [
        (
            f'azcmagent connect --service-principal-secret "{FAKE_SECRET}" -t t',
            'azcmagent connect --service-principal-secret "****" -t t',
        ),
        (f"azcmagent connect -i app -p {FAKE_SECRET}", "azcmagent connect -i app -p ****"),
        (f"azcmagent connect --access-token={FAKE_SECRET}", "azcmagent connect --access-token=****"),
        (
            f".\\DeployGPO.ps1 -DomainFQDN contoso.com -ServicePrincipalSecret '{FAKE_SECRET}'",
            ".\\DeployGPO.ps1 -DomainFQDN contoso.com -ServicePrincipalSecret '****'",
        ),
        (f"password={FAKE_SECRET}", "password=****"),
        (f"Password: {FAKE_SECRET}", "Password: ****"),
        (f'$servicePrincipalSecret = "{FAKE_SECRET}"', '$servicePrincipalSecret = "****"'),
        (f'client_secret = "{FAKE_SECRET}"', 'client_secret = "****"'),
        (f"export ARM_CLIENT_SECRET={FAKE_SECRET}", "export ARM_CLIENT_SECRET=****"),
        (
            f"https://acct.blob.core.windows.net/c/x.sh?sv=2022-11-02&sig={FAKE_SECRET}&sp=r",
            "https://acct.blob.core.windows.net/c/x.sh?sv=2022-11-02&sig=****&sp=r",
        ),
        (
            f"DefaultEndpointsProtocol=https;AccountName=acct;AccountKey={FAKE_SECRET}==;EndpointSuffix=core.windows.net",
            "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=****;EndpointSuffix=core.windows.net",
        ),
        # references are never masked
        (
            'azcmagent connect --service-principal-secret "$SECRET"',
            'azcmagent connect --service-principal-secret "$SECRET"',
        ),
        ("azcmagent connect -p ${SP_SECRET} -i app", "azcmagent connect -p ${SP_SECRET} -i app"),
        ("azcmagent connect -p $env:SP_SECRET", "azcmagent connect -p $env:SP_SECRET"),
        ("azcmagent.exe connect -p %SP_SECRET%", "azcmagent.exe connect -p %SP_SECRET%"),
        ('export ARM_CLIENT_SECRET="$VAULT_VALUE"', 'export ARM_CLIENT_SECRET="$VAULT_VALUE"'),
        ("client_secret = var.client_secret", "client_secret = var.client_secret"),
        ('password: "{{ vault_password }}"', 'password: "{{ vault_password }}"'),
        # -p outside an azcmagent command is not a secret
        ("mkdir -p /opt/arc", "mkdir -p /opt/arc"),
        ('authType="token"', 'authType="token"'),
    ],
)
def test_mask_secrets(line: str, masked: str) -> None:
    assert mask_secrets(line) == masked


# --- base64 -----------------------------------------------------------------------------------

B64_SCRIPT = "#!/bin/bash\nsudo azcmagent connect --use-device-code --resource-name web-01\n"


@pytest.mark.parametrize(
    "encoded",
    [
        base64.b64encode(B64_SCRIPT.encode()).decode(),
        base64.encodebytes(B64_SCRIPT.encode()).decode(),  # wrapped at 76 columns
        "  " + base64.b64encode(B64_SCRIPT.encode()).decode() + "\n",
        base64.b64encode(B64_SCRIPT.encode("utf-16-le")).decode(),
        base64.b64encode(b"\xef\xbb\xbf" + B64_SCRIPT.encode()).decode(),
        base64.b64encode(gzip.compress(B64_SCRIPT.encode())).decode(),
    ],
    ids=["utf8", "wrapped", "padded-whitespace", "utf16le", "utf8-bom", "gzip"],
)
def test_base64_round_trip(encoded: str) -> None:
    decoded = decode_base64_script(encoded)
    assert decoded == B64_SCRIPT
    assert kinds(decoded) == ["connect"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hello",
        "#!/bin/bash\necho hi\n",
        "Standard_D2s_v3",
        "eastus2a",
        "0123456789abcdef0123456789abcdef",
        base64.b64encode(bytes(range(256))).decode(),
        "not base64 at all: azcmagent connect",
    ],
)
def test_base64_rejects_non_scripts(text: str) -> None:
    assert decode_base64_script(text) is None


def test_base64_is_cheap_on_large_plain_text() -> None:
    assert decode_base64_script("azcmagent connect\n" * 100_000) is None


def test_encoded_powershell_command_is_scanned() -> None:
    payload = base64.b64encode('azcmagent connect --use-device-code -n "web-01"'.encode("utf-16-le")).decode()
    sig = only(f"powershell.exe -NoProfile -EncodedCommand {payload}", "connect")
    assert sig.line == 0
    assert dict(sig.detail) == {
        "tool": "azcmagent",
        "auth": "device-code",
        "resource_name": "web-01",
        "encoded": "base64",
    }


def test_echo_base64_to_shell_is_scanned() -> None:
    payload = base64.b64encode(b"sudo systemctl stop walinuxagent\nsudo ufw deny out to 169.254.169.254\n").decode()
    text = f"#!/bin/sh\necho {payload} | base64 -d | bash\n"
    assert [(s.kind, s.line) for s in scan(text)] == [("guest-agent-disabled", 1), ("imds-blocked", 1)]


# --- API shape and performance ----------------------------------------------------------------


def test_signal_is_frozen_hashable_and_kinds_are_known() -> None:
    text = "\n".join(
        [
            EVAL_LINUX_UFW,
            EVAL_WINDOWS,
            PORTAL_LINUX,
            CLOUD_INIT,
            "sysprep /generalize",
            "yum remove wget",
            "ntrights -u CORP\\svc -r SeServiceLogonRight",
            "# CIS Benchmark L1",
        ]
    )
    found = scan(text)
    assert {s.kind for s in found} <= set(KINDS)
    assert set(KINDS) - {s.kind for s in found} == {"disconnect"}
    sig = found[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        sig.kind = "connect"  # type: ignore[misc]
    assert len({hash(s) for s in found}) >= 1
    assert isinstance(scan(text), tuple)


def test_text_is_clipped_to_200_characters() -> None:
    line = "azcmagent connect --use-device-code --tags " + ",".join(f"k{i}=v{i}" for i in range(100))
    sig = only(line, "connect")
    assert len(sig.text) == 200 and sig.text.endswith("…")


def test_ten_thousand_line_script_completes() -> None:
    filler = [
        "apt-get update -y",
        "mkdir -p /opt/app && chown app:app /opt/app",
        "if [ -f /etc/os-release ]; then . /etc/os-release; fi",
        'echo "configuring $HOSTNAME"',
        "curl -fsSL https://example.com/setup.sh -o /tmp/setup.sh",
        "# a comment",
    ]
    lines = filler * (10_000 // len(filler))
    lines[5_000] = "sudo azcmagent connect --use-device-code --resource-name web-01"
    lines[9_000] = "sudo ufw deny out from any to 169.254.169.254"
    found = scan("\n".join(lines))
    assert [(s.kind, s.line) for s in found] == [("connect", 5_000), ("imds-blocked", 9_000)]


PATHOLOGICAL = [
    # (id, text, (kind, line) of each signal, the text with secrets masked)
    ("continuations", " \\\n".join(["azcmagent connect --tags a=b"] * 5_000), [("connect", 0)], None),
    ("long-line", "x" * 200_000 + " ufw" * 5_000 + " 169.254.169.254", [], None),
    ("spaces", "MSFT_ARC_TEST" + " " * 5_000 + "x", [], None),
    ("long-word", "a" * 20_000 + " OnboardingScript.sh", [], None),
    ("powershell", "powershell " * 2_000 + "OnboardingScript.ps1", [], None),
    ("waagent", "waagent " * 3_000, [], None),
    ("msiexec", "msiexec " * 3_000 + "AzureConnectedMachineAgent", [], None),
    ("backslashes", "azcmagent connect -n " + "\\" * 20_000, [("connect", 0)], None),
    ("secrets", "secret=" * 3_000, [], "secret=****"),  # the value is everything after the first "secret="
    ("base64", "QUJD" * 100_000, [], None),  # decodes to "ABC" repeated: not a script
]


@pytest.mark.parametrize(("text", "signals", "masked"), [c[1:] for c in PATHOLOGICAL], ids=[c[0] for c in PATHOLOGICAL])
def test_pathological_inputs_give_exactly_their_signals(
    text: str, signals: list[tuple[str, int]], masked: str | None
) -> None:
    assert [(s.kind, s.line) for s in scan(text)] == signals
    assert mask_secrets(text) == (text if masked is None else masked)
    assert decode_base64_script(text) is None
