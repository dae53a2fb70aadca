"""Custom Rasa NLU components for Vietnamese (normalisation, accent-folded features).

Rasa imports the modules named in config.yml; this package stays import-light.
"""
