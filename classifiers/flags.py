"""Risk flags raised by rules over the letter's own words: spaCy PhraseMatcher phrase lists.

Rules are the first line for flags because a missed safeguarding letter costs far more than a
false alarm; the flag models (classifiers.classification) add what phrase lists cannot see, and
their thresholds are chosen together with these rules. Each flag keeps the words that raised it,
so the person in triage can see why.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from classifiers.extraction import letter_pipeline

PHRASES: dict[str, list[str]] = {
    "urgent": [
        "urgent",
        "urgently",
        "as a matter of urgency",
        "time critical",
        "time-critical",
        "very urgent",
        "extremely urgent",
        "immediate attention",
        "before it is too late",
        "ar frys",
        "brys",
        "cyn gynted â phosib",
    ],
    "safeguarding": [
        "suicide",
        "suicidal",
        "kill myself",
        "kill himself",
        "kill herself",
        "killing himself",
        "end my life",
        "end his life",
        "end her life",
        "end it all",
        "ending things",
        "take my own life",
        "take his own life",
        "take her own life",
        "took his own life",
        "took her own life",
        "self-harm",
        "self harm",
        "self-harming",
        "harming himself",
        "harming herself",
        "harming myself",
        "harm himself",
        "harm herself",
        "overdose",
        "can't go on",
        "cannot go on",
        "no reason to live",
        "not safe",
        "unsafe",
        "feel safe",
        "in danger",
        "at risk of harm",
        "at risk of abuse",
        "at risk of violence",
        "risk to her",
        "risk to him",
        "at serious risk",
        "fear for my life",
        "fear for his life",
        "fear for her life",
        "fears for his safety",
        "fears for her safety",
        "scared for my life",
        "threatened to kill",
        "threats to kill",
        "being beaten",
        "being assaulted",
        "being abused",
        "vulnerable adult",
        "vulnerable child",
        "vulnerable young",
        "someone is killed",
        "going to be killed",
        "hunanladdiad",
        "hunangladdiad",
        "niweidio ei hun",
        "ddim yn ddiogel",
    ],
    "abusive-or-threatening": [
        "fuck",
        "fucking",
        "fucked",
        "fuckin",
        "fucker",
        "shit",
        "shite",
        "bastard",
        "bastards",
        "scum",
        "moron",
        "morons",
        "idiot",
        "idiots",
        "traitor",
        "traitors",
        "cunt",
        "cunts",
        "wanker",
        "wankers",
        "coward",
        "cowards",
        "parasite",
        "parasites",
        "spineless",
        "waste of space",
        "wastes of space",
        "pathetic excuse",
        "find you",
        "i will hurt",
        "i'll hurt",
        "going to get hurt",
        "get hurt",
        "you will pay",
        "you'll pay",
        "watch your back",
        "hang them",
        "hang the lot",
        "put a bullet",
        "give u a kicking",
        "give you a kicking",
        "a kicking",
        "i know where you live",
        "i know where she works",
        "i know where he works",
        "i know what car",
        "waiting for him in the car park",
        "not a threat",
        "named and shamed",
        "burn it down",
    ],
    "media-or-legal-risk": [
        "the press",
        "journalist",
        "journalists",
        "newspaper",
        "newspapers",
        "the papers",
        "the media",
        "bbc",
        "itv",
        "sky news",
        "the guardian",
        "the times",
        "daily mail",
        "the mirror",
        "go public",
        "going public",
        "social media campaign",
        "legal action",
        "judicial review",
        "letter before claim",
        "letter before action",
        "pre-action protocol",
        "sue",
        "suing",
        "issue proceedings",
        "ombudsman",
        "my solicitor",
        "our solicitors",
        "my lawyer",
        "my lawyers",
        "take this to court",
        "take you to court",
        "take the matter to court",
        "human rights claim",
        "compensation claim against",
        "my mp and the papers",
        "wasg",
        "cyfryngau",
    ],
}
# "Urgent" also when an event and a near time stand close together: "the hearing is next Tuesday".
URGENT_EVENTS = [
    "hearing",
    "release",
    "released",
    "funeral",
    "trial",
    "court date",
    "deadline",
    "eviction",
    "tribunal",
    "inquest",
    "deportation",
    "removal",
    "appointment",
    "operation",
    "discharge",
    "sentencing",
    "parole board",
]
URGENT_TIMES = [
    "tomorrow",
    "today",
    "tonight",
    "next week",
    "this week",
    "this friday",
    "this monday",
    "on monday",
    "on tuesday",
    "on wednesday",
    "on thursday",
    "on friday",
    "on saturday",
    "on sunday",
    "next monday",
    "next tuesday",
    "next wednesday",
    "next thursday",
    "next friday",
    "in two days",
    "in three days",
    "in four days",
    "in five days",
    "in a few days",
    "within days",
    "in 48 hours",
    "days away",
    "this weekend",
]
NEAR_TOKENS = 15


class FlagRules:
    """The phrase lists compiled into one PhraseMatcher over lower-cased tokens."""

    def __init__(self, vocab):
        self.matcher = PhraseMatcher(vocab, attr="LOWER")
        make = letter_pipeline().make_doc
        for key, phrases in [
            *PHRASES.items(),
            ("urgent-event", URGENT_EVENTS),
            ("urgent-time", URGENT_TIMES),
        ]:
            variants = {p for phrase in phrases for p in (phrase, phrase.replace("'", "’"))}
            self.matcher.add(key, [make(p) for p in sorted(variants)])

    def __call__(self, doc: Doc, language: str) -> list[dict]:
        """The flags raised for a processed letter, each with the words that raised it."""
        found: dict[str, list[tuple[int, str]]] = {}
        strings = doc.vocab.strings
        for match_id, start, end in self.matcher(doc):
            found.setdefault(strings[match_id], []).append((start, doc[start:end].text))
        raised = []
        for flag in PHRASES:
            hits = [text for _, text in found.get(flag, [])]
            if flag == "urgent":
                events, times = found.get("urgent-event", []), found.get("urgent-time", [])
                hits += [
                    f"{event} … {time}"
                    for e, event in events
                    for t, time in times
                    if abs(e - t) <= NEAR_TOKENS
                ][:3]
            if hits:
                raised.append({"flag": flag, "evidence": sorted({h.lower() for h in hits})[:5]})
        if language == "cy":
            raised.append({"flag": "welsh-language", "evidence": ["written in Welsh"]})
        return raised


@lru_cache(maxsize=1)
def flag_rules() -> FlagRules:
    """The flag rules, compiled once per process."""
    return FlagRules(letter_pipeline().vocab)


def rule_flags(letter: str | Doc, language: str) -> list[dict]:
    """Return the flags the rules raise for a letter (a processed Doc, or raw text)."""
    doc = letter if isinstance(letter, Doc) else letter_pipeline().make_doc(letter)
    return flag_rules()(doc, language)
