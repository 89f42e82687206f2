"""The write path shared by every listing row: versioned saves, history, cascades,
idempotent upserts.
"""
