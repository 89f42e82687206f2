"""Referrals between partners ("orienter"): sending a person to another
organisation's service, its status and history, the person's data encrypted
at rest and erased after the retention period."""
