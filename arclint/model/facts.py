"""The records facts are made of: evidence, signals found, undecided facts, image references, written files.

The bottom of the model layer: ``target``, ``flow`` and ``links`` all build on these.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from arclint.model.scripts import Signal


@dataclass(frozen=True)
class Evidence:
    """The file, line and text that prove a fact."""

    file: str
    line: int
    text: str

    def short(self) -> str:
        """``file:line`` for messages."""
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Found:
    """A signal and where it was found: usually a script line; also a configuration fact of the model,
    e.g. ``provision_vm_agent = false`` (a synthetic signal of kind ``guest-agent-disabled`` whose evidence
    is the attribute's line).

    ``when`` is ``now`` (it runs while the target is built or boots) or ``deferred`` (it was written to a
    file registered to run at a later boot: first boot of machines made from an image). ``chain`` is how
    the script got there: the carrier, the write and the run or registration lines, in order.
    """

    signal: Signal
    evidence: Evidence
    when: str = "now"
    chain: tuple[Evidence, ...] = ()
    refs: frozenset[str] = frozenset()  # a connect's: the resources its --service-principal-id value comes from

    def trail(self) -> tuple[Evidence, ...]:
        """The chain and the signal's own line."""
        return (*self.chain, self.evidence)


@dataclass(frozen=True)
class Undecided:
    """A fact that could not be decided: what it is about, and why.

    ``what`` phrases the undecided question for messages; by default "whether <subject> onboards
    the agent". ``if_onboards``: the fact matters (and is reported) only for a target that onboards.
    """

    subject: str
    reason: str
    what: str | None = None
    if_onboards: bool = False


@dataclass(frozen=True)
class ImageRef:
    """An image name (or pattern) of a kind, and where it is written."""

    kind: str  # ami | azure-image | gcp-image | vsphere-template
    name: str
    evidence: Evidence


Locate = Callable[[int, str], Evidence]  # evidence of a line of a text, from its offset


@dataclass
class Write:
    """A file written with known (or unknown) content, waiting to be run or registered."""

    name: str  # lower-cased file name: runs are matched by it
    path: str
    content: object  # the written text, or an Unknown that says why it is not known
    locate: Locate  # evidence of a line of the content, from its offset
    evidence: Evidence  # the write line
    chain: tuple[Evidence, ...]  # how the script that writes it got there
    when: str  # when the writing script runs
    origin: object  # the text holding the write, by identity (a run must come after it in the same text)
    pos: int
    subject: str = ""
