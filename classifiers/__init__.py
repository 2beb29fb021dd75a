"""Reading and classifying letters: spaCy rule components for extraction, scikit-learn models."""
