"""Who is asking: the person a view of the archive answers for (issue 20). The secrecy rule
that filters what a `Viewer` sees is applied by `Archive.as_viewer`."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Viewer:
    name: str                 # account name, or "" for the archive's owner on the command line / no accounts
    role: str                 # "doc" | "van-thu" | "quan-tri"
    clearance: str | None     # None | "mat" | "toi-mat" | "tuyet-mat"


FULL = Viewer("", "quan-tri", "tuyet-mat")  # no accounts exist: one person on their own machine sees everything
