"""SQLAlchemy models of the knowledge base (see ../shared/DESIGN.md, "Knowledge base").

Lists that are only ever read whole (aliases, steps, legal basis) are JSON columns; documents and
channels are rows of their own because staff edit them one by one and answers list them in order.
Empty stays empty: a field the source does not give is NULL or "", never a guess.
"""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()

# Where a procedure is handled, for routing "where do I submit?".
LEVELS = ("ward", "city", "ministry", "other")
# How an application can reach the agency.
CHANNEL_KINDS = ("online", "in_person", "post")
# A document is handed in ("submit") or only shown ("present").
DOCUMENT_KINDS = ("submit", "present")
ROLES = ("admin", "editor", "trainer")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class Procedure(Base):
    __tablename__ = "procedures"

    id = sa.Column(sa.Integer, primary_key=True)
    code = sa.Column(sa.String(32), nullable=False, unique=True)  # national code, "1.001193"
    name = sa.Column(sa.Text, nullable=False)
    aliases = sa.Column(sa.JSON, nullable=False, default=list)  # names citizens use
    field = sa.Column(sa.Text, nullable=False, default="")  # lĩnh vực
    level = sa.Column(sa.String(16), nullable=False, default="ward")  # one of LEVELS
    levels_published = sa.Column(sa.JSON, nullable=False, default=list)  # ["Cấp tỉnh", "Cấp xã"]
    agency = sa.Column(sa.Text, nullable=False, default="")  # who decides
    # Who receives and handles the file ("Công an cấp xã"): where a citizen goes.
    receiving_agency = sa.Column(sa.Text, nullable=False, default="")
    audience = sa.Column(sa.Text, nullable=False, default="")
    steps = sa.Column(sa.JSON, nullable=False, default=list)  # ordered strings
    conditions = sa.Column(sa.Text, nullable=False, default="")
    result = sa.Column(sa.Text, nullable=False, default="")
    legal_basis = sa.Column(sa.JSON, nullable=False, default=list)  # [{"title", "number"}]
    full_online = sa.Column(sa.Boolean, nullable=False, default=False)
    official_url = sa.Column(sa.Text, nullable=False, default="")
    source_url = sa.Column(sa.Text, nullable=False, default="")
    decision_number = sa.Column(sa.Text, nullable=False, default="")
    # The portal's popularity counter (portal-usage CSV): a prior between near-equal candidates.
    usage = sa.Column(sa.Integer, nullable=False, default=0)
    # Cells the import found contradictory or incomplete: [{"field", "reason"}], listed to staff, never printed.
    flags = sa.Column(sa.JSON, nullable=False, default=list)
    source = sa.Column(sa.String(16), nullable=False, default="")  # "portal" | "national" | "" (by hand)
    verified_on = sa.Column(sa.Date, nullable=True)
    verified_by = sa.Column(sa.Text, nullable=False, default="")
    # Field names staff changed by hand; a national re-import keeps them (issue: catalogue).
    edited_fields = sa.Column(sa.JSON, nullable=False, default=list)
    updated_at = sa.Column(sa.DateTime, nullable=False, default=_now, onupdate=_now)
    updated_by = sa.Column(sa.Text, nullable=False, default="")

    documents = relationship(
        "Document",
        order_by="Document.position",
        cascade="all, delete-orphan",
        back_populates="procedure",
    )
    channels = relationship(
        "Channel",
        order_by="Channel.position",
        cascade="all, delete-orphan",
        back_populates="procedure",
    )

    def __repr__(self) -> str:
        return f"<Procedure {self.code} {self.name[:40]!r}>"


class Document(Base):
    __tablename__ = "documents"

    id = sa.Column(sa.Integer, primary_key=True)
    procedure_id = sa.Column(
        sa.Integer, sa.ForeignKey("procedures.id", ondelete="CASCADE"), nullable=False, index=True
    )
    position = sa.Column(sa.Integer, nullable=False, default=0)
    name = sa.Column(sa.Text, nullable=False)
    form = sa.Column(sa.Text, nullable=False, default="")  # form name, "Tờ khai ... (Mẫu ...)"
    quantity = sa.Column(sa.Integer, nullable=True)  # number of copies; NULL when not given
    copies = sa.Column(sa.Integer, nullable=True)  # with a structured record: copies besides the originals
    copy_kind = sa.Column(sa.Text, nullable=False, default="")  # "bản chính", "bản sao"
    kind = sa.Column(sa.String(16), nullable=False, default="submit")  # one of DOCUMENT_KINDS
    case = sa.Column(sa.Text, nullable=False, default="")  # the case it applies to, if any

    procedure = relationship("Procedure", back_populates="documents")


class Channel(Base):
    __tablename__ = "channels"

    id = sa.Column(sa.Integer, primary_key=True)
    procedure_id = sa.Column(
        sa.Integer, sa.ForeignKey("procedures.id", ondelete="CASCADE"), nullable=False, index=True
    )
    position = sa.Column(sa.Integer, nullable=False, default=0)
    kind = sa.Column(sa.String(16), nullable=False)  # one of CHANNEL_KINDS
    time_value = sa.Column(sa.Float, nullable=True)  # 7
    time_unit = sa.Column(sa.Text, nullable=False, default="")  # "Ngày làm việc"
    time_text = sa.Column(sa.Text, nullable=False, default="")  # as published
    fee_amount = sa.Column(sa.Integer, nullable=True)  # VND; 0 = free; NULL = not known
    fee_unit = sa.Column(sa.Text, nullable=False, default="")  # "Việt Nam Đồng"
    fee_text = sa.Column(sa.Text, nullable=False, default="")  # as published
    # Every fee of the channel: [{amount, unit, per, description, exempt, valid_from, valid_until}] (dates ISO);
    # fee_amount above is the one amount in force for everyone, 0 only when free for everyone.
    fees = sa.Column(sa.JSON, nullable=False, default=list)
    # When the time had no unit in its cell: the sentence of the record it was read from, quoted.
    time_source = sa.Column(sa.Text, nullable=False, default="")
    note = sa.Column(sa.Text, nullable=False, default="")

    procedure = relationship("Procedure", back_populates="channels")


class Vocabulary(Base):
    """A citizen's everyday words and the official term they mean ("lấy vợ" → "kết hôn"), edited by staff."""

    __tablename__ = "vocabulary"

    id = sa.Column(sa.Integer, primary_key=True)
    phrase = sa.Column(sa.Text, nullable=False, unique=True)
    term = sa.Column(sa.Text, nullable=False)
    updated_at = sa.Column(sa.DateTime, nullable=False, default=_now, onupdate=_now)
    updated_by = sa.Column(sa.Text, nullable=False, default="")


class Ward(Base):
    """One of Huế's 40 wards/communes (from the vietnam-provinces package)."""

    __tablename__ = "wards"

    code = sa.Column(sa.Integer, primary_key=True)  # official ward code, 19900
    name = sa.Column(sa.Text, nullable=False)  # "Phường Thuận An"
    division_type = sa.Column(sa.Text, nullable=False)  # "phường" / "xã"
    old_names = sa.Column(sa.JSON, nullable=False, default=list)  # names it absorbed


class Office(Base):
    """A public administrative service point: a ward's, or the city's / a department's."""

    __tablename__ = "offices"

    id = sa.Column(sa.Integer, primary_key=True)
    ward_code = sa.Column(sa.Integer, sa.ForeignKey("wards.code"), nullable=True, index=True)
    name = sa.Column(sa.Text, nullable=False)
    address = sa.Column(sa.Text, nullable=False, default="")
    hours = sa.Column(sa.Text, nullable=False, default="")
    phone = sa.Column(sa.Text, nullable=False, default="")
    url = sa.Column(sa.Text, nullable=False, default="")


class Guide(Base):
    """A step-by-step tutorial (VNeID, portal login, payment...), editable by staff."""

    __tablename__ = "guides"

    id = sa.Column(sa.Integer, primary_key=True)
    slug = sa.Column(sa.String(64), nullable=False)
    language = sa.Column(sa.String(8), nullable=False, default="vi")
    title = sa.Column(sa.Text, nullable=False)
    summary = sa.Column(sa.Text, nullable=False, default="")
    # Accent-folded phrases that name this tutorial ("quen mat khau"), for matching what citizens type.
    keywords = sa.Column(sa.JSON, nullable=False, default=list)
    updated_at = sa.Column(sa.DateTime, nullable=False, default=_now, onupdate=_now)
    updated_by = sa.Column(sa.Text, nullable=False, default="")

    steps = relationship(
        "GuideStep", order_by="GuideStep.position", cascade="all, delete-orphan", back_populates="guide"
    )

    __table_args__ = (sa.UniqueConstraint("slug", "language"),)


class GuideStep(Base):
    __tablename__ = "guide_steps"

    id = sa.Column(sa.Integer, primary_key=True)
    guide_id = sa.Column(sa.Integer, sa.ForeignKey("guides.id", ondelete="CASCADE"), nullable=False)
    position = sa.Column(sa.Integer, nullable=False, default=0)
    key = sa.Column(sa.String(64), nullable=False, default="")  # "vneid", "login", "payment"...
    title = sa.Column(sa.Text, nullable=False)
    body = sa.Column(sa.Text, nullable=False, default="")
    help = sa.Column(sa.Text, nullable=False, default="")  # shown on "I'm stuck"
    # When the step applies ("" = always; see knowledge.guides.CONDITIONS), e.g. "fee": only with a fee.
    condition = sa.Column(sa.String(32), nullable=False, default="")
    # Slug of a stand-alone tutorial offered with this step's help ("vneid"), or "".
    tutorial = sa.Column(sa.String(64), nullable=False, default="")
    # Where the step's facts come from: a record code, a legal text, or "record" (the procedure's own, filled in);
    # "" = to be verified by staff (knowledge.guides.steps_to_verify lists them).
    source = sa.Column(sa.Text, nullable=False, default="")

    guide = relationship("Guide", back_populates="steps")


class Checklist(Base):
    """Which of a procedure's documents apply in which case: questions and rules, edited by staff.

    `questions`: [{key, text: {vi, en}, options: [{value, label: {vi, en}}]}], asked in order.
    `rules`: [{match | position, when: {question: value | [values]}, hide, show_as: {vi, en}}] and
    [{add: {vi, en}, when: ...}]; see knowledge.checklists.
    """

    __tablename__ = "checklists"

    id = sa.Column(sa.Integer, primary_key=True)
    procedure_code = sa.Column(sa.String(32), nullable=False, unique=True)
    questions = sa.Column(sa.JSON, nullable=False, default=list)
    rules = sa.Column(sa.JSON, nullable=False, default=list)
    updated_at = sa.Column(sa.DateTime, nullable=False, default=_now, onupdate=_now)
    updated_by = sa.Column(sa.Text, nullable=False, default="")


class User(Base):
    __tablename__ = "users"

    id = sa.Column(sa.Integer, primary_key=True)
    username = sa.Column(sa.String(64), nullable=False, unique=True)
    password_hash = sa.Column(sa.Text, nullable=False)  # argon2
    role = sa.Column(sa.String(16), nullable=False)  # one of ROLES
    active = sa.Column(sa.Boolean, nullable=False, default=True)
    created_at = sa.Column(sa.DateTime, nullable=False, default=_now)


class AuditLog(Base):
    __tablename__ = "audit_log"

    id = sa.Column(sa.Integer, primary_key=True)
    at = sa.Column(sa.DateTime, nullable=False, default=_now, index=True)
    actor = sa.Column(sa.Text, nullable=False)  # username or "cli"/"import"
    action = sa.Column(sa.Text, nullable=False)  # "procedure.update", "import.national"...
    target = sa.Column(sa.Text, nullable=False, default="")  # "procedure:1.001193"
    before = sa.Column(sa.JSON, nullable=True)
    after = sa.Column(sa.JSON, nullable=True)


class Feedback(Base):
    """A citizen's thumbs up/down on a bot answer (text already redacted)."""

    __tablename__ = "feedback"

    id = sa.Column(sa.Integer, primary_key=True)
    at = sa.Column(sa.DateTime, nullable=False, default=_now, index=True)
    sender = sa.Column(sa.String(64), nullable=False, index=True)
    helpful = sa.Column(sa.Boolean, nullable=False)
    comment = sa.Column(sa.Text, nullable=False, default="")
    message = sa.Column(sa.Text, nullable=False, default="")  # the bot message rated


class Annotation(Base):
    """A trainer's correction of one user message: the right intent / procedure."""

    __tablename__ = "annotations"

    id = sa.Column(sa.Integer, primary_key=True)
    at = sa.Column(sa.DateTime, nullable=False, default=_now)
    trainer = sa.Column(sa.Text, nullable=False)
    sender = sa.Column(sa.String(64), nullable=False, default="")
    text = sa.Column(sa.Text, nullable=False)  # redacted user text
    predicted_intent = sa.Column(sa.Text, nullable=False, default="")
    correct_intent = sa.Column(sa.Text, nullable=False, default="")
    procedure_code = sa.Column(sa.String(32), nullable=False, default="")
    exported = sa.Column(sa.Boolean, nullable=False, default=False)
