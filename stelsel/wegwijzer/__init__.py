"""Wegwijzer: from an entrepreneur's question to the right services in their region."""
