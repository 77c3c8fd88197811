"""Warme doorverwijzing: hulpvragen with consent, referrals and their lifecycle."""
