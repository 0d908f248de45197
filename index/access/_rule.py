"""Who is looking, and what they may see (issue 20): a document stamped `Mật`, `Tối mật` or
`Tuyệt mật` (`marks.secrecy`, read in `nlp/marks.py`) is visible only to a viewer cleared for
its level or above. The accounts themselves (names, roles, passwords) are kept elsewhere; this
module holds only the value they hand to `Archive` and the rule."""
from __future__ import annotations

from dataclasses import dataclass

# the levels in order, lowest first: the clearance names (`--clearance`) and the stamps they open
LEVELS = ("mat", "toi-mat", "tuyet-mat")
STAMPS = {"Mật": "mat", "Tối mật": "toi-mat", "Tuyệt mật": "tuyet-mat"}


@dataclass(frozen=True)
class Viewer:
    name: str  # account name, or "" for the archive's owner on the command line / no accounts
    role: str  # "doc" | "van-thu" | "quan-tri"
    clearance: str | None  # None | "mat" | "toi-mat" | "tuyet-mat"

    def __post_init__(self) -> None:
        if self.clearance is not None and self.clearance not in LEVELS:
            raise ValueError(f"unknown clearance {self.clearance!r}; choose one of {', '.join(LEVELS)}")

    @property
    def sees_all(self) -> bool:
        """Cleared for every level: nothing is ever left out for this viewer."""
        return self.clearance == LEVELS[-1]


FULL = Viewer("", "quan-tri", "tuyet-mat")  # no accounts exist: one person on their own machine sees everything


def level(secrecy: str | None) -> str | None:
    """The level of a stamp as a record holds it (`Tối mật` → `toi-mat`), None when unmarked.
    A stamp spelled otherwise (older records, another case) is matched case-insensitively; an
    unknown non-empty stamp counts as the highest level: when in doubt, hidden."""
    if not secrecy:
        return None
    if secrecy in STAMPS:
        return STAMPS[secrecy]
    folded = {k.casefold(): v for k, v in STAMPS.items()}
    return folded.get(secrecy.strip().casefold(), LEVELS[-1])


def rank(lvl: str | None) -> int:
    """0 for unmarked or no clearance, then 1, 2, 3 in the order of LEVELS."""
    return LEVELS.index(lvl) + 1 if lvl in LEVELS else 0


def may_see(viewer: Viewer, secrecy: str | None) -> bool:
    """Whether VIEWER may see a document stamped SECRECY (`Mật`, … or None)."""
    return rank(level(secrecy)) <= rank(viewer.clearance)


def hidden_levels(viewer: Viewer) -> tuple[str, ...]:
    """The levels VIEWER is not cleared for (what the search engines and the catalog leave out)."""
    return LEVELS[rank(viewer.clearance):]
