"""Plumbing the domains share: mail, signed links, rate limits, backups."""
