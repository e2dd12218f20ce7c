"""Link machines to the image builds they are created from, across files and tools.

A build names its output (Packer ``ami_name``, ``managed_image_name``, a shared image, a vSphere
template ``vm_name``, a GCP ``image_name``/``image_family``); a machine names the image it uses
(an ``aws_ami`` name filter, a ``vsphere_virtual_machine`` template data source, an image id or
data source). Names may be patterns: ``*`` and template functions (``{{timestamp}}``) match anything.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from arclint.model.facts import Evidence, Found, ImageRef
from arclint.model.osimage import merge

if TYPE_CHECKING:
    from arclint.model.target import Target

BAKED_IN = ("harden", "remove-prereq")  # build steps whose effect machines made from the image keep
_TEMPLATE = re.compile(r"\{\{[^}]*\}\}|\$\{\?\}")


def image_ref(kind: str, name: str, evidence: Evidence) -> ImageRef:
    """An image reference with template functions and unknown parts turned into ``*``."""
    return ImageRef(kind, _TEMPLATE.sub("*", name), evidence)


def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile("^" + ".*".join(re.escape(p) for p in pattern.split("*")) + "$", re.IGNORECASE)


def names_match(a: str, b: str) -> bool:
    """Whether two names (each possibly with ``*``) can name the same image."""
    if "*" not in a and "*" not in b:
        return a.lower() == b.lower()
    return bool(_regex(a).match(b.replace("*", "0")) or _regex(b).match(a.replace("*", "0")))


def link_images(targets: list[Target], consumers: list[Target] | None = None) -> None:
    """Record on each machine (of ``consumers``, default all) the builds its image comes from; carry over the
    agent install and what the build registered for first boot (a deferred connect is this machine's own)."""
    producers = [t for t in targets if t.image_outputs]
    for consumer in targets if consumers is None else consumers:
        for ref in consumer.image_refs:
            for producer in producers:
                if producer is consumer:
                    continue
                out = next(
                    (o for o in producer.image_outputs if o.kind == ref.kind and names_match(o.name, ref.name)), None
                )
                if out is None:
                    continue
                consumer.built_from.append((producer, ref, out))
                if producer.os is not None and (consumer.os is None or consumer.os.family is None):
                    # the machine's own size may have told only its architecture
                    consumer.os, consumer.os_evidence = merge(producer.os, consumer.os), producer.os_evidence
                    consumer.unknowns = [u for u in consumer.unknowns if u.subject != "OS image"]
                inherit(consumer, producer, (ref.evidence, out.evidence))


def inherit(consumer: Target, producer: Target, via: tuple[Evidence, ...]) -> None:
    """What a machine made from ``producer``'s image (or clone, or master) runs or carries: the agent install
    and what the build did to the image, and what it registered for first boot (a deferred connect is the
    machine's own). ``via`` is how the two are linked, put before each signal's own chain."""
    for found in producer.onboarding.of("install", when="now"):
        consumer.onboarding.found.append(Found(found.signal, found.evidence))
    for kind in BAKED_IN:  # what the build did to the image stays in the machines made from it
        for found in producer.onboarding.of(kind, when="now"):
            consumer.onboarding.found.append(replace(found, chain=(*via, *found.chain)))
    for found in producer.onboarding.found:
        if found.when == "deferred":  # registered for first boot: this machine runs it
            consumer.onboarding.found.append(replace(found, chain=(*via, *found.chain)))


def connected_source(target: Target) -> tuple[Target, ImageRef, ImageRef] | None:
    """The first build the target's image comes from that leaves an Arc identity in it (connects, no disconnect)."""
    for producer, ref, out in target.built_from:
        if producer.onboarding.identity() is not None:
            return producer, ref, out
    return None
