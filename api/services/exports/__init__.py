"""Open formats out of the directory: data·inclusion files and the HSDS 3.1 API.

Only what any resident may see leaves: published, non-deleted, public
services (never those reserved to professionals, whoever asks), and
confidential places without their address or position.
"""
