"""Listing content in other languages and in easy-to-read French."""
