"""Citizens' feedback on bot answers (thumbs up/down), read later by trainers in /review."""
from __future__ import annotations

import unicodedata

from sqlalchemy.orm import Session

from knowledge.models import Feedback
from knowledge.redact import redact


def add_feedback(session: Session, *, sender: str, message: str, helpful: bool, comment: str = "") -> Feedback:
    """Store one rating in the caller's transaction; message and comment are redacted first."""
    feedback = Feedback(
        sender=sender,
        helpful=helpful,
        message=redact(unicodedata.normalize("NFC", message)),
        comment=redact(unicodedata.normalize("NFC", comment)),
    )
    session.add(feedback)
    session.flush()
    return feedback


def add_comment(session: Session, *, feedback_id: int, sender: str, comment: str) -> Feedback | None:
    """Add the citizen's comment (redacted) to their own rating; None when `sender` made no rating `feedback_id`."""
    feedback = session.get(Feedback, feedback_id)
    if feedback is None or feedback.sender != sender:
        return None
    feedback.comment = redact(unicodedata.normalize("NFC", comment))
    session.flush()
    return feedback
