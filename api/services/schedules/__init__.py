"""Opening hours: evaluation, the partners' builder, words for residents, calendars."""
