"""Curation: drafts and jobs stored, accepted or rejected; the extraction queue."""
