"""Huế public-service assistant: web gateway and Rasa custom NLU components."""
