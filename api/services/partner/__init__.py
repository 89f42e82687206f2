"""What a partner organisation does with its listings: editing, dashboard, sharing,
reminders, deletion.
"""
