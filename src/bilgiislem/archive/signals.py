"""Signals the archive sends to the apps above it (they may not be imported from here)."""

from django.dispatch import Signal

# Sent inside the disposal transaction, after the records are marked disposed, with
# ``disposal_list``, ``document_ids`` (the registry documents whose content goes) and
# ``actor``. A receiver removes the content it holds for those documents; an exception in a
# receiver rolls the whole disposal back. Bytes are deleted only after the commit.
records_disposed = Signal()
