"""People's names as written on letters: honorifics, peerages and post-nominal letters."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

# Courtesy titles, longest first so "Rt Hon" wins over "Hon".
HONORIFICS = (
    "The Rt Hon",
    "The Right Honourable",
    "Rt Hon",
    "Rt. Hon.",
    "Right Honourable",
    "The Hon",
    "Professor",
    "Prof",
    "Dr",
    "Sir",
    "Dame",
    "Mr",
    "Mrs",
    "Ms",
    "Miss",
    "Mx",
    "Cllr",
    "Councillor",
    "Reverend",
    "Revd",
    "Rev",
    "Canon",
    "Father",
    "Fr",
    "Hon",
)
# Titles of peers; a peer's name is the title and the territorial part ("Lord Bach",
# "Baroness Kennedy of The Shaws").
PEER_TITLES = (
    "Lord",
    "Baroness",
    "Baron",
    "Viscount",
    "Viscountess",
    "Earl",
    "Countess",
    "Marquess",
    "Duke",
    "Lady",
)
# Post-nominal letters that say which legislature someone sits in.
LEGISLATURE_POST_NOMINALS = {
    "MP": "mp",
    "MEP": "mep",
    "MSP": "devolved-member",
    "MS": "devolved-member",
    "AM": "devolved-member",
    "MLA": "devolved-member",
}
OTHER_POST_NOMINALS = {
    "QC",
    "KC",
    "PC",
    "JP",
    "DL",
    "CBE",
    "OBE",
    "MBE",
    "KBE",
    "DBE",
    "CB",
    "KCB",
    "GCB",
    "CMG",
    "KCMG",
    "FRS",
    "FRSA",
    "FRCP",
    "FRCS",
    "BEM",
    "LLB",
    "LLM",
    "BA",
    "MA",
    "PhD",
    "BSc",
    "MSc",
}
ALL_POST_NOMINALS = frozenset(LEGISLATURE_POST_NOMINALS) | {p.upper() for p in OTHER_POST_NOMINALS}
_HONORIFIC_RE = re.compile(
    r"^(?:(?:" + "|".join(re.escape(h) for h in HONORIFICS) + r")\.?\s+)+", re.IGNORECASE
)
_PEER_RE = re.compile(
    r"^(?:the\s+)?(?P<title>" + "|".join(PEER_TITLES) + r")\s+(?P<rest>[A-Z][\w'’-]+(?:[ -][A-Z][\w'’-]+)*"
    r"(?:\s+of\s+(?:the\s+|The\s+)?[A-Z][\w'’-]+(?:[ -](?:[A-Z][\w'’-]+|upon|on|in|le|the))*)?)$"
)
_NAME_WORD = r"[A-Z][a-zA-Z'’\-]*\.?"
# Words that appear on letterheads and in address blocks but never in a person's name.
NOT_NAME_WORDS = {
    "office",
    "ministry",
    "department",
    "house",
    "street",
    "road",
    "lane",
    "avenue",
    "court",
    "secretary",
    "minister",
    "state",
    "committee",
    "council",
    "party",
    "trust",
    "parliament",
    "justice",
    "commons",
    "lords",
    "government",
    "service",
    "services",
    "association",
    "society",
    "limited",
    "ltd",
    "llp",
    "solicitors",
    "charity",
    "foundation",
    "union",
    "group",
    "centre",
    "member",
    "members",
    "assembly",
    "senedd",
    "campaign",
    "team",
    "unit",
    "chambers",
    "prison",
    "sincerely",
    "faithfully",
    "regards",
    "wishes",
    "dear",
    "yours",
    "thanks",
    "thank",
    "cabinet",
    "constituency",
    "rights",
    "reform",
    "network",
    "alliance",
    "institute",
    "federation",
    "bill",
    "act",
    "exchange",
    "square",
    "place",
    "gardens",
    "close",
    "drive",
    "way",
    "petty",
    "france",
    "marsham",
    "whitehall",
    "london",
    "chancellor",
    "attorney",
    "general",
    "home",
    "health",
}


@dataclass
class PersonName:
    """A name split into the parts a reply needs (salutation, address block, register look-up)."""

    full: str = ""
    honorific: str = ""
    given_name: str = ""
    surname: str = ""
    peerage: str = ""
    post_nominals: list[str] = field(default_factory=list)

    @property
    def legislature_type(self) -> str | None:
        """The correspondent type the name's own letters imply (MP -> mp, a peerage -> peer)."""
        for letters in self.post_nominals:
            if letters in LEGISLATURE_POST_NOMINALS:
                return LEGISLATURE_POST_NOMINALS[letters]
        if self.peerage and not self.peerage.startswith("Lady "):
            return "peer"
        return None

    @property
    def plain(self) -> str:
        """The name without honorifics or letters: 'Caroline Lucas', 'Lord Bach'."""
        if self.peerage:
            return self.peerage
        return " ".join(part for part in (self.given_name, self.surname) if part)

    def as_dict(self) -> dict:
        return asdict(self)


def parse_name(text: str) -> PersonName | None:
    """Split a written name into its parts, or return None if `text` is not a person's name.

    >>> parse_name("Dr Caroline Lucas MEP").given_name
    'Caroline'
    """
    original = " ".join(text.replace(",", " ").split())
    if not original or any(ch.isdigit() for ch in original) or "@" in original:
        return None
    words = original.split()
    post_nominals: list[str] = []
    while words and words[-1].strip(".").upper() in ALL_POST_NOMINALS:
        word = words.pop().strip(".")
        post_nominals.insert(0, word.upper() if word.upper() in LEGISLATURE_POST_NOMINALS else word)
    rest = " ".join(words)
    honorific = ""
    match = _HONORIFIC_RE.match(rest)
    if match:
        honorific = _canonical_honorific(match.group(0).strip())
        rest = rest[match.end() :].strip()
    if not rest:
        return None
    peer = _PEER_RE.match(rest)
    if peer:
        peerage = f"{peer.group('title')} {peer.group('rest')}"
        surname = peer.group("rest").split(" of ")[0]
        return PersonName(original, honorific, "", surname, peerage, post_nominals)
    parts = rest.split()
    if any(part.lower().strip(".") in NOT_NAME_WORDS for part in parts):
        return None
    if not 1 <= len(parts) <= 4 or not all(re.fullmatch(_NAME_WORD, p) for p in parts):
        return None
    if len(parts) == 1 and not honorific:
        return None
    if len(parts) == 1:
        return PersonName(original, honorific, "", parts[0], "", post_nominals)
    return PersonName(original, honorific, parts[0], " ".join(parts[1:]), "", post_nominals)


def _canonical_honorific(raw: str) -> str:
    text = " ".join(raw.replace(".", "").split())
    lowered = text.lower()
    if "right honourable" in lowered or "rt hon" in lowered:
        rest = re.sub(r"(?i)(the\s+)?(right honourable|rt hon)\s*", "", text).strip()
        return ("Rt Hon " + rest).strip()
    if lowered.startswith("the hon"):
        return "Hon"
    mapping = {"prof": "Professor", "rev": "Revd", "reverend": "Revd", "councillor": "Cllr", "fr": "Father"}
    return " ".join(mapping.get(word.lower(), word) for word in text.split())


def name_key(text: str) -> str:
    """A key for matching names: lower case, letters only, single spaces."""
    return " ".join(re.sub(r"[^a-z ]", " ", text.lower().replace("’", "'").replace("'", "")).split())
