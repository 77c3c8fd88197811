"""Meldingen: the outbox every domain uses to send e-mail and signed webhooks."""
