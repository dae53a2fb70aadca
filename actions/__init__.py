"""Rasa SDK custom actions of the Huế assistant, one module per concern.

resolve (which procedure), procedure_answers (overview, documents, fee, time, where, online, steps),
choose (a picked candidate), offices (a ward's service point), fallback (unclear or out of scope),
language (the language slot, through its custom mapping),
coach + guide (the step-by-step online-submission coach), session (new sessions: slots kept, coach offered again),
tutorials (VNeID, password, login, payment, look-up, photos), checklist (the citizen's own list of papers),
kb (engine and search index, built on first use), formatting (lists for response variables), serve.
Nothing here connects or reads files at import.
"""
