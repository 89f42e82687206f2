""" "Aller vers": outreach actions, anonymous rights checks, the structures'
monthly registrations, and the fiche projet 4.1.3 indicators computed from them."""
