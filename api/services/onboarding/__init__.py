"""Onboarding: organisations created by coordinators or the command line,
structures asking to join (« Référencer ma structure ») or claiming a listing,
and the territory each request belongs to."""
