"""What every reader shares: the error it raises and the least text that counts as a letter."""

# Fewer letters than this is not a letter we can read (an empty page, a scan OCR made nothing of).
MIN_LETTERS = 20


class IntakeError(ValueError):
    """A file that cannot be taken in; the message is one line a user can act on."""
