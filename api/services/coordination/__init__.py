"""Coordinators' work: territories, moderation."""
