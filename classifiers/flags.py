"""Risk flags raised by rules over the letter's own words.

Rules come first because a missed safeguarding letter costs far more than a false alarm: they
are written for recall, and a person clears a wrong flag in triage. Each flag keeps the words
that raised it, so the person can see why.
"""

from __future__ import annotations

import re

_WEEKDAYS = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
FLAG_RULES: dict[str, list[re.Pattern]] = {
    "urgent": [
        re.compile(
            r"\burgent(?:ly)?\b|\bas a matter of urgency\b|\btime[- ]critical\b|\bar frys\b|\bbrys\b", re.I
        ),
        re.compile(
            r"\b(?:hearing|release|released|funeral|trial|court date|deadline|eviction|tribunal|inquest|deportation)\b"
            rf"[^.\n]{{0,80}}\b(?:tomorrow|today|next week|this week|this friday|on {_WEEKDAYS}|in (?:two|three|four|five|a few|\d) days)\b",
            re.I,
        ),
        re.compile(
            rf"\b(?:tomorrow|next week|this week|on {_WEEKDAYS}|in (?:two|three|four|five|\d) days)\b"
            r"[^.\n]{0,60}\b(?:hearing|release|funeral|trial|court|deadline|eviction|tribunal|inquest)\b",
            re.I,
        ),
    ],
    "safeguarding": [
        re.compile(
            r"\b(?:suicid\w*|self[- ]harm\w*|kill (?:myself|himself|herself|themselves)|end (?:my|his|her|their) (?:own )?life"
            r"|take (?:my|his|her|their) own life|overdose|hang(?:ed|ing)? (?:himself|herself|myself)"
            r"|not safe|unsafe|in danger|at risk of (?:harm|abuse|violence)|fear(?:s|ed)? for (?:my|his|her|their) (?:life|safety)"
            r"|threat(?:s|ened)? to kill|being (?:beaten|assaulted|abused)|vulnerable (?:adult|child|person|young)"
            r"|can'?t go on|no reason to live|hunangladdiad|niweidio ei hun)\b",
            re.I,
        ),
    ],
    "abusive-or-threatening": [
        re.compile(
            r"\b(?:f+u+c+k\w*|shit\w*|bastards?|scum|morons?|idiots?|traitors?|c+u+n+t\w*|wankers?|pathetic excuse)\b"
            r"|\b(?:i will|i'll|we will|we'll) (?:find you|hurt|kill|come for|make you pay|get you)\b"
            r"|\byou(?:'ll| will) pay\b|\bwatch your back\b|\bhang (?:them|you|the lot)\b|\bput a bullet\b",
            re.I,
        ),
    ],
    "media-or-legal-risk": [
        re.compile(
            r"\b(?:the press|journalists?|newspapers?|the papers|the media|bbc|itv|sky news|the guardian|the times"
            r"|daily mail|the sun|the mirror|go public|social media campaign|legal action|judicial review"
            r"|letter before (?:claim|action)|pre-action protocol|sue\b|suing|issue proceedings|ombudsman"
            r"|my solicitor|our solicitors?|my lawyers?|take (?:this|you|the matter) to court)",
            re.I,
        ),
    ],
}


def rule_flags(text: str, language: str) -> list[dict]:
    """Return the flags the rules raise for a letter, each with the words that raised it."""
    raised = []
    for flag, patterns in FLAG_RULES.items():
        hits = []
        for pattern in patterns:
            hits += [match.group(0) for match in pattern.finditer(text)]
        if hits:
            raised.append({"flag": flag, "evidence": sorted(set(hits))[:5]})
    if language == "cy":
        raised.append({"flag": "welsh-language", "evidence": ["written in Welsh"]})
    return raised
