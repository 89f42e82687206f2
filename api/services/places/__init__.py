"""Places, QPVs, communes and distances."""
