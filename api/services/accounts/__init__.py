"""Accounts: who may do what, sign-in, sessions, secrets, the audit log."""
