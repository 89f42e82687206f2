"""Printed guides and referral sheets."""
