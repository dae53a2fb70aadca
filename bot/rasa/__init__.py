"""What runs inside the Rasa process: custom NLU components, the tracker store and the Rasa launcher."""
