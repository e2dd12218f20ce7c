"""vCPUs of well-known machine sizes (the fact ``size.vcpus``): a small table, never a guess from a name's shape.

Sources: https://learn.microsoft.com/azure/virtual-machines/sizes/overview (B, Av2, Dv3, Dsv5, Fsv2 series),
https://aws.amazon.com/ec2/instance-types/ (t2, t3, t3a, t4g, m5, c5), https://cloud.google.com/compute/docs/
machine-resource (e2, n1, n2 predefined types; shared-core types are left out: their vCPU is a fraction).
"""

from __future__ import annotations

VCPUS: dict[str, dict[str, int]] = {
    "azure": {
        "standard_b1ls": 1,
        "standard_b1s": 1,
        "standard_b1ms": 1,
        "standard_b2s": 2,
        "standard_b2ms": 2,
        "standard_b4ms": 4,
        "standard_a1_v2": 1,
        "standard_a2_v2": 2,
        "standard_a4_v2": 4,
        "standard_d2s_v3": 2,
        "standard_d4s_v3": 4,
        "standard_d2s_v5": 2,
        "standard_d4s_v5": 4,
        "standard_f2s_v2": 2,
        "standard_f4s_v2": 4,
    },
    "aws": {
        "t2.nano": 1,
        "t2.micro": 1,
        "t2.small": 1,
        "t2.medium": 2,
        "t3.micro": 2,
        "t3.small": 2,
        "t3.medium": 2,
        "t3a.micro": 2,
        "t4g.micro": 2,
        "m5.large": 2,
        "m5.xlarge": 4,
        "c5.large": 2,
    },
    "gcp": {
        "e2-standard-2": 2,
        "e2-standard-4": 4,
        "n1-standard-1": 1,
        "n1-standard-2": 2,
        "n2-standard-2": 2,
        "n2-standard-4": 4,
    },
}


def vcpus(platform: str, size: str | None) -> int | None:
    """The vCPUs of ``size`` on ``platform`` (case-insensitive; a GCP ``zones/z/machineTypes/t`` path by its last
    part); None when the table does not hold it."""
    if not size:
        return None
    return VCPUS.get(platform, {}).get(size.strip().rsplit("/", 1)[-1].lower())
