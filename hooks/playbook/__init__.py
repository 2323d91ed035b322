"""Negotiation Playbook: content loading, validation and rendering, free of MkDocs.

The MkDocs hook in ``hooks/playbook_hook.py`` adapts build events to this package, so a move
to another static site generator touches only that adapter.
"""
