"""Signals other apps listen to without disclosure knowing them (ARCHITECTURE §2: data flows one way)."""

from django.dispatch import Signal

# Sent with `item` inside the transaction that publishes it; a receiver's refusal rolls the publication back.
item_published = Signal()
