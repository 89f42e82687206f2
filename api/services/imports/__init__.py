"""Imports: data·inclusion files and our own CSV template, into the directory.

Readers (data_inclusion, csv_template) turn a file into validated records or
per-line rejections without touching the database; the runner writes them,
idempotently by (source, source_id).
"""
