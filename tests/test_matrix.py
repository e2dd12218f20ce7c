"""Tests for the OS support matrix editions (policies/matrix/*.yaml)."""

from __future__ import annotations

import datetime
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from arclint import matrix as support_matrix
from arclint.core.shipped import policy_root
from arclint.matrix import Matrix, MatrixError, Support, load_matrix, version_matches
from arclint.model import osimage
from arclint.model.osimage import OSInfo

OLD = "2025-09-16"
NEW = "2026-08-20"
D = datetime.date


def _os(family: str | None, version: str | None, edition: str | None = None) -> OSInfo:
    return OSInfo(family, version, edition, None)


def _shipped(edition: str) -> dict[str, Any]:
    data = yaml.safe_load((policy_root() / "matrix" / f"{edition}.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _write(tmp_path: Path, data: object, name: str = "broken.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


# --------------------------------------------------------------------------------------------------
# Editions


def test_available_editions_are_sorted() -> None:
    editions = support_matrix.available_editions()
    assert editions == sorted(editions)
    assert OLD in editions
    assert NEW in editions


def test_newest_edition_is_default() -> None:
    matrix = load_matrix()
    assert matrix.edition == NEW == support_matrix.available_editions()[-1]
    assert matrix.source == "https://learn.microsoft.com/azure/azure-arc/servers/prerequisites"


@pytest.mark.parametrize("edition", [OLD, NEW])
def test_shipped_editions_load(edition: str) -> None:
    matrix = load_matrix(edition)
    assert isinstance(matrix, Matrix)
    assert matrix.edition == edition
    assert matrix.rows


def test_unknown_edition_lists_the_available_ones() -> None:
    with pytest.raises(MatrixError) as excinfo:
        load_matrix("2024-01-01")
    message = str(excinfo.value)
    assert "'2024-01-01'" in message
    assert OLD in message
    assert NEW in message


# --------------------------------------------------------------------------------------------------
# Lookups

# fmt: off
LOOKUPS = [
    # edition, os -> status, arm64, last_agent, end_date, row
    (OLD, _os("ubuntu", "16.04"), ("limited", False, "1.44", D(2025, 7, 15), "Ubuntu 16.04")),
    (NEW, _os("ubuntu", "16.04"), ("retired", None, "1.44", D(2025, 7, 15), "Ubuntu 16.04")),
    (OLD, _os("ubuntu", "14.04"), ("unlisted", None, None, None, "Ubuntu 14.04")),
    (NEW, _os("ubuntu", "14.04"), ("unlisted", None, None, None, "Ubuntu 14.04")),
    (OLD, _os("ubuntu", "22.04"), ("supported", True, None, None, "Ubuntu 22.04")),
    (OLD, _os("ubuntu", "26.04"), ("unlisted", None, None, None, "Ubuntu 26.04")),
    (NEW, _os("ubuntu", "26.04"), ("supported", False, None, None, "Ubuntu 26.04")),
    (OLD, _os("rhel", "9"), ("supported", False, None, None, "Red Hat Enterprise Linux (RHEL) 9")),
    (NEW, _os("rhel", "9"), ("supported", False, None, None, "Red Hat Enterprise Linux (RHEL) 9")),
    (NEW, _os("rhel", "9.4"), ("supported", False, None, None, "Red Hat Enterprise Linux (RHEL) 9")),
    (NEW, _os("rhel", "6"), ("unlisted", None, None, None, "RHEL 6")),
    (OLD, _os("sles", "15 SP3"), ("supported", True, None, None, "SUSE Linux Enterprise Server (SLES) 15")),
    (OLD, _os("sles", "15 SP4"), ("supported", True, None, None, "SUSE Linux Enterprise Server (SLES) 15")),
    (NEW, _os("sles", "15 SP3"),
     ("limited", True, "1.58", D(2026, 7, 3), "SUSE Linux Enterprise Server (SLES) 15 SP3")),
    (NEW, _os("sles", "15 SP4"), ("supported", True, None, None, "SUSE Linux Enterprise Server (SLES) 15 SP4")),
    (NEW, _os("sles", "15 SP6"), ("supported", True, None, None, "SUSE Linux Enterprise Server (SLES) 15 SP5-7")),
    (NEW, _os("sles", "15 SP2"), ("unlisted", None, None, None, "SLES 15 SP2")),
    (OLD, _os("sles", "12 SP5"), ("supported", False, None, None, "SUSE Linux Enterprise Server (SLES) 12 SP3-SP5")),
    (OLD, _os("sles", "12 SP3"), ("supported", False, None, None, "SUSE Linux Enterprise Server (SLES) 12 SP3-SP5")),
    (OLD, _os("sles", "12 SP2"), ("unlisted", None, None, None, "SLES 12 SP2")),
    (NEW, _os("sles", "12 SP5"), ("supported", False, None, None, "SUSE Linux Enterprise Server (SLES) 12 SP5")),
    (NEW, _os("sles", "12 SP4"), ("unlisted", None, None, None, "SLES 12 SP4")),
    (NEW, _os("sles", "16"), ("unlisted", None, None, None, "SLES 16")),
    (OLD, _os("windows-server", "2008 R2 SP1", "server"),
     ("limited", False, "1.39", D(2025, 3, 31), "Windows Server 2008 R2 SP1")),
    (NEW, _os("windows-server", "2008 R2 SP1", "server"),
     ("retired", None, "1.39", D(2025, 3, 31), "Windows Server 2008 R2 SP1")),
    (NEW, _os("windows-server", "2008", "server"), ("unlisted", None, None, None, "Windows Server 2008")),
    (NEW, _os("windows-server", "2012", "server"), ("supported", False, None, None, "Windows Server 2012")),
    (NEW, _os("windows-server", "2012 R2", "server"), ("supported", False, None, None, "Windows Server 2012 R2")),
    (NEW, _os("windows-server", "2025"), ("supported", False, None, None, "Windows Server 2025")),
    (OLD, _os("amazon-linux", "2"), ("supported", True, None, None, "Amazon Linux 2")),
    (OLD, _os("amazon-linux", "2023"), ("supported", True, None, None, "Amazon Linux 2023")),
    (NEW, _os("amazon-linux", "1"), ("unlisted", None, None, None, "Amazon Linux 1")),
    (OLD, _os("windows-client", "10", "client"), ("supported", False, None, None, "Windows Client 10")),
    (NEW, _os("windows-client", "11", "client"), ("supported", False, None, None, "Windows Client 11")),
    (NEW, _os("windows-client", "7", "client"), ("unlisted", None, None, None, "Windows 7")),
    (NEW, _os("windows-iot", "10", "client"), ("supported", False, None, None, "Windows IoT Enterprise 10 (22H2)")),
    (NEW, _os("windows-iot-ltsc", "11", "client"),
     ("supported", False, None, None, "Windows IoT Enterprise LTSC 11 (2024)")),
    (OLD, _os("azure-linux", "1.0"), ("limited", False, "1.44", D(2025, 7, 15), "Azure Linux (CBL-Mariner) 1.0")),
    (NEW, _os("azure-linux", "1.0"), ("retired", None, "1.44", D(2025, 7, 15), "Azure Linux (CBL-Mariner) 1.0")),
    (OLD, _os("azure-linux", "2.0"), ("supported", True, None, None, "Azure Linux (CBL-Mariner) 2.0")),
    (NEW, _os("azure-linux", "2"), ("limited", None, "1.64", D(2026, 7, 7), "Azure Linux (CBL-Mariner) 2.0")),
    (OLD, _os("azure-linux", "3.0"), ("supported", False, None, None, "Azure Linux (CBL-Mariner) 3.0")),
    (NEW, _os("azure-linux", "3.0"), ("supported", True, None, None, "Azure Linux (CBL-Mariner) 3.0")),
    (NEW, _os("azure-linux", "4.0"), ("unlisted", None, None, None, "Azure Linux 4.0")),
    (OLD, _os("centos", "7"), ("limited", False, "1.44", D(2025, 7, 15), "CentOS 7")),
    (NEW, _os("centos", "7.9"), ("retired", None, "1.44", D(2025, 7, 15), "CentOS 7")),
    (NEW, _os("centos", "8"), ("retired", None, "1.44", D(2025, 7, 15), "CentOS 8")),
    (NEW, _os("centos", "Stream 9"), ("unlisted", None, None, None, "CentOS Stream 9")),
    (OLD, _os("debian", "10"), ("limited", False, "1.44", D(2025, 7, 15), "Debian 10")),
    (NEW, _os("debian", "10"), ("retired", None, "1.44", D(2025, 7, 15), "Debian 10")),
    (OLD, _os("debian", "12"), ("supported", False, None, None, "Debian 12")),
    (NEW, _os("debian", "12"), ("supported", True, None, None, "Debian 12")),
    (OLD, _os("debian", "13"), ("unlisted", None, None, None, "Debian 13")),
    (NEW, _os("debian", "13"), ("supported", False, None, None, "Debian 13")),
    (OLD, _os("oracle-linux", "8"), ("supported", False, None, None, "Oracle Linux 8")),
    (NEW, _os("oracle-linux", "8.9"), ("supported", True, None, None, "Oracle Linux 8")),
    (NEW, _os("oracle-linux", "10"), ("supported", False, None, None, "Oracle Linux 10")),
    (OLD, _os("almalinux", "8"), ("supported", True, None, None, "AlmaLinux 8")),
    (NEW, _os("rocky", "9.4"), ("supported", False, None, None, "Rocky Linux 9")),
]
# fmt: on


@pytest.mark.parametrize(("edition", "os", "expected"), LOOKUPS)
def test_lookup(edition: str, os: OSInfo, expected: tuple[object, ...]) -> None:
    support = load_matrix(edition).lookup(os)
    assert support is not None
    assert (
        support.status,
        support.arm64,
        support.last_agent,
        support.end_date,
        support.row,
    ) == expected


@pytest.mark.parametrize(
    ("edition", "os"),
    [
        (NEW, _os(None, "22.04")),
        (NEW, _os("ubuntu", None)),
        (NEW, _os("other-linux", None)),
        (NEW, _os("sles", "15")),  # 15 SP3 (limited), SP4, SP5-7: can't tell which
        (OLD, _os("sles", "12")),  # 12 SP3-SP5 supported, older SPs not listed
    ],
)
def test_lookup_undecidable(edition: str, os: OSInfo) -> None:
    assert load_matrix(edition).lookup(os) is None


def test_undecided_names_every_reading_when_some_are_fine() -> None:
    answers = load_matrix(NEW).undecided(_os("sles", "15"))
    assert [(a.status, a.row) for a in answers] == [
        ("limited", "SUSE Linux Enterprise Server (SLES) 15 SP3"),
        ("supported", "SUSE Linux Enterprise Server (SLES) 15 SP4"),
        ("supported", "SUSE Linux Enterprise Server (SLES) 15 SP5-7"),
        ("unlisted", "SLES 15"),
    ]
    assert load_matrix(NEW).undecided(_os("windows-server", "2008 R2")) == ()
    assert load_matrix(NEW).undecided(_os("ubuntu", "22.04")) == ()


# fmt: off
EVERY_READING_A_FINDING = [
    # SP1 retired (limited, ended) or RTM (never listed): at best the SP1 row
    (NEW, _os("windows-server", "2008 R2"), ("retired", "1.39", D(2025, 3, 31), "Windows Server 2008 R2 SP1")),
    (OLD, _os("windows-server", "2008 R2"), ("limited", "1.39", D(2025, 3, 31), "Windows Server 2008 R2 SP1")),
    # 16.04 retired, 16.10 never listed
    (NEW, _os("ubuntu", "16"), ("retired", "1.44", D(2025, 7, 15), "Ubuntu 16.04")),
    # catalog readings: 2008 (never listed) or 2008 R2 (SP1 retired, RTM never listed)
    (NEW, OSInfo("windows-server", "2008", None, None, readings=("2008", "2008 R2")),
     ("retired", "1.39", D(2025, 3, 31), "Windows Server 2008 R2 SP1")),
]
# fmt: on


@pytest.mark.parametrize(("edition", "os", "expected"), EVERY_READING_A_FINDING)
def test_every_reading_a_finding_gives_the_mildest_at_best(
    edition: str, os: OSInfo, expected: tuple[object, ...]
) -> None:
    support = load_matrix(edition).lookup(os)
    assert support is not None
    assert (support.status, support.last_agent, support.end_date, support.row, support.at_best) == (*expected, True)


def test_mildest_limited_reading_is_the_one_supported_longest() -> None:
    rows = (
        support_matrix.MatrixRow("X", "sles", "15 SP1", "limited", last_agent="1.50", end_date=D(2026, 1, 1)),
        support_matrix.MatrixRow("X", "sles", "15 SP2", "limited", last_agent="1.60", end_date=D(2027, 1, 1)),
        support_matrix.MatrixRow("X", "sles", "15 SP3", "limited", last_agent="1.55", end_date=D(2026, 6, 1)),
    )
    support = Matrix("test", "src", rows).lookup(_os("sles", "15"))
    assert support is not None
    assert (support.row, support.end_date, support.at_best) == ("X 15 SP2", D(2027, 1, 1), True)
    open_ended = (*rows, support_matrix.MatrixRow("X", "sles", "15 SP4", "limited"))
    support = Matrix("test", "src", open_ended).lookup(_os("sles", "15"))
    assert support is not None
    assert support.row == "X 15 SP4"


def test_readings_that_are_all_supported_are_supported() -> None:
    support = load_matrix(NEW).lookup(OSInfo("windows-server", "2012", "server", None, readings=("2012", "2012 R2")))
    assert support == Support("supported", False, None, None, "Windows Server 2012 or Windows Server 2012 R2", None)
    assert not support.at_best


def test_a_single_reading_is_not_at_best() -> None:
    support = load_matrix(NEW).lookup(_os("windows-server", "2008 R2 SP1"))
    assert support is not None
    assert not support.at_best


@pytest.mark.parametrize(
    ("edition", "os", "note"),
    [
        (NEW, _os("amazon-linux", "2"), "Expected limited support date: 2026-07-03"),
        (NEW, _os("debian", "11"), "Expected limited support date: 2026-07-03"),
        (NEW, _os("sles", "15 SP4"), "Expected limited support date: 2026-07-03"),
        (OLD, _os("windows-server", "2008 R2 SP1"), "PowerShell 4.0"),
    ],
)
def test_lookup_notes(edition: str, os: OSInfo, note: str) -> None:
    support = load_matrix(edition).lookup(os)
    assert support is not None
    assert support.note is not None
    assert note in support.note


def test_expected_limited_date_is_not_a_status() -> None:
    support = load_matrix(NEW).lookup(_os("debian", "11"))
    assert support is not None
    assert support.status == "supported"
    assert support.last_agent is None
    assert support.end_date is None


@pytest.mark.parametrize("edition", [OLD, NEW])
def test_azure_edition_is_supported_only_on_azure_local(edition: str) -> None:
    matrix = load_matrix(edition)
    os = _os("windows-server", "2022", "azure-edition")
    support = matrix.lookup(os)
    assert support is not None
    assert support.status == "supported"
    assert support.note is not None
    assert "Azure Local" in support.note
    assert [f.supported_on for f in matrix.edition_facts(os)] == [("azure-local",)]
    plain = matrix.lookup(_os("windows-server", "2022", "server"))
    assert plain is not None
    assert plain.note is None


def test_win2008_download_link() -> None:
    support = load_matrix(NEW).lookup(_os("windows-server", "2008 R2 SP1"))
    assert support == Support(
        "retired",
        None,
        "1.39",
        D(2025, 3, 31),
        "Windows Server 2008 R2 SP1",
        None,
        "https://aka.ms/AzureConnectedMachineAgent-1.39",
    )


@pytest.mark.parametrize("edition", [OLD, NEW])
def test_client_rows_carry_client_edition(edition: str) -> None:
    rows = load_matrix(edition).rows
    client = {r.family for r in rows if r.edition == "client"}
    assert client == {"windows-client", "windows-iot", "windows-iot-ltsc"}


def test_retired_in_newest_edition() -> None:
    retired = {(r.family, r.version): (r.last_agent, r.end_date) for r in load_matrix(NEW).retired}
    assert retired == {
        ("windows-server", "2008 R2 SP1"): ("1.39", D(2025, 3, 31)),
        ("centos", "7"): ("1.44", D(2025, 7, 15)),
        ("centos", "8"): ("1.44", D(2025, 7, 15)),
        ("debian", "10"): ("1.44", D(2025, 7, 15)),
        ("ubuntu", "16.04"): ("1.44", D(2025, 7, 15)),
        ("azure-linux", "1.0"): ("1.44", D(2025, 7, 15)),
    }
    assert load_matrix(OLD).retired == ()


def test_catalog_and_matrix_agree_end_to_end() -> None:
    os = osimage.from_aws_ami(["099720109477"], "ubuntu/images/hvm-ssd/ubuntu-xenial-16.04-amd64-server-*")
    assert os is not None
    support = load_matrix(NEW).lookup(os)
    assert support is not None
    assert support.status == "retired"
    arm = osimage.from_gcp_image("rhel-cloud/rhel-9-arm64")
    assert arm is not None
    assert arm.arch == "arm64"
    support = load_matrix(NEW).lookup(arm)
    assert support is not None
    assert support.arm64 is False


# --------------------------------------------------------------------------------------------------
# Version matching


@pytest.mark.parametrize(
    ("row", "version", "expected"),
    [
        ("16.04", "16.04", True),
        ("16.04", "16.10", False),
        ("16.04", "16", None),
        ("9", "9.4", True),
        ("9", "10", False),
        ("2", "2023", False),
        ("2023", "2", False),
        ("2.0", "2", True),
        ("1.0", "1.0", True),
        ("2012", "2012 R2", False),
        ("2012 R2", "2012", False),
        ("2012 R2", "2012 R2", True),
        ("2008 R2 SP1", "2008 R2 SP1", True),
        ("2008 R2 SP1", "2008 R2", None),
        ("12 SP3-SP5", "12 SP5", True),
        ("12 SP3-SP5", "12 SP4", True),
        ("12 SP3-SP5", "12 SP2", False),
        ("12 SP3-SP5", "12", None),
        ("15", "15 SP4", True),
        ("15", "15", True),
        ("15 SP5-7", "15 SP7", True),
        ("15 SP5-7", "15 SP8", False),
        ("15 SP3", "15 SP3", True),
        ("15 SP3", "15 SP4", False),
        ("10", "10", True),
        ("11", "10", False),
        ("9", "Stream 9", False),
    ],
)
def test_version_matches(row: str, version: str, expected: bool | None) -> None:
    assert version_matches(row, version) is expected


# --------------------------------------------------------------------------------------------------
# Schema errors


def test_load_matrix_path_accepts_valid_copy(tmp_path: Path) -> None:
    path = _write(tmp_path, _shipped(NEW), "copy.yaml")
    matrix = load_matrix(path=path)
    assert matrix.edition == NEW
    assert matrix.lookup(_os("ubuntu", "16.04")) == load_matrix(NEW).lookup(_os("ubuntu", "16.04"))


def test_unquoted_dates_are_accepted(tmp_path: Path) -> None:
    text = (policy_root() / "matrix" / f"{OLD}.yaml").read_text(encoding="utf-8")
    text = text.replace('end_date: "2025-07-15"', "end_date: 2025-07-15").replace(
        'edition: "2025-09-16"', "edition: 2025-09-16"
    )
    path = tmp_path / "unquoted.yaml"
    path.write_text(text, encoding="utf-8")
    support = load_matrix(path=path).lookup(_os("debian", "10"))
    assert support is not None
    assert support.end_date == D(2025, 7, 15)


def _broken_status(data: dict[str, Any]) -> str:
    data["rows"][2]["x86_64"] = "partial"
    return "rows[2].x86_64: 'partial' is not one of ['supported', 'limited']"


def _limited_without_agent(data: dict[str, Any]) -> str:
    row = next(i for i, r in enumerate(data["rows"]) if r["x86_64"] == "limited")
    del data["rows"][row]["last_agent"]
    return f"rows[{row}]: 'last_agent' is a required property"


def _bad_end_date(data: dict[str, Any]) -> str:
    data["retired"][0]["end_date"] = "2025-13-01"
    return "retired[0].end_date: '2025-13-01' does not match"


def _unquoted_version(data: dict[str, Any]) -> str:
    data["rows"][0]["version"] = 8
    return "rows[0].version: 8 is not of type 'string'"


def _unknown_family(data: dict[str, Any]) -> str:
    data["retired"][1]["family"] = "fedora"
    return "retired[1].family: 'fedora' is not one of"


def _extra_key(data: dict[str, Any]) -> str:
    data["colour"] = "blue"
    return "(top level): Additional properties are not allowed ('colour' was unexpected)"


def _missing_rows(data: dict[str, Any]) -> str:
    del data["rows"]
    return "(top level): 'rows' is a required property"


def _typo_in_row(data: dict[str, Any]) -> str:
    data["rows"][5]["arm_64"] = True
    return "rows[5]: Unevaluated properties are not allowed ('arm_64' was unexpected)"


@pytest.mark.parametrize(
    "breaker",
    [
        _broken_status,
        _limited_without_agent,
        _bad_end_date,
        _unquoted_version,
        _unknown_family,
        _extra_key,
        _missing_rows,
        _typo_in_row,
    ],
)
def test_schema_error_names_file_and_path(tmp_path: Path, breaker: Callable[[dict[str, Any]], str]) -> None:
    data = _shipped(NEW)
    expected = breaker(data)
    path = _write(tmp_path, data)
    with pytest.raises(MatrixError) as excinfo:
        load_matrix(path=path)
    message = str(excinfo.value)
    assert message.startswith(f"{path}: ")
    assert expected in message


def test_all_schema_errors_are_reported(tmp_path: Path) -> None:
    data = _shipped(OLD)
    data["rows"][10]["x86_64"] = "partial"
    data["rows"][2]["arm64"] = "yes"
    path = _write(tmp_path, data)
    with pytest.raises(MatrixError) as excinfo:
        load_matrix(path=path)
    lines = str(excinfo.value).splitlines()
    assert [line.split(": ")[1] for line in lines] == [
        "rows[2].arm64",
        "rows[10].x86_64",
    ]


def test_invalid_yaml(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("edition: [unclosed\n", encoding="utf-8")
    with pytest.raises(MatrixError, match="invalid YAML"):
        load_matrix(path=path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(MatrixError, match="cannot read"):
        load_matrix(path=tmp_path / "nope.yaml")


def test_edition_must_match_file_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "matrix").mkdir()
    shutil.copytree(policy_root() / "schema", tmp_path / "schema")
    data = _shipped(NEW)
    _write(tmp_path / "matrix", data, "2027-01-01.yaml")
    monkeypatch.setattr(support_matrix, "policy_root", lambda: tmp_path)
    assert support_matrix.available_editions() == ["2027-01-01"]
    with pytest.raises(
        MatrixError,
        match=r"2027-01-01\.yaml: edition: '2026-08-20' does not match the file name",
    ):
        load_matrix()


def test_no_editions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(support_matrix, "policy_root", lambda: tmp_path)
    assert support_matrix.available_editions() == []
    with pytest.raises(MatrixError, match="available: none"):
        load_matrix()
