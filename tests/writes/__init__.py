"""In-process tests that write: records, documents, drafts and their review, intake, feeds."""
