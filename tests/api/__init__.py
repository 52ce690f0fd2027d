"""In-process tests that read: records, collections, briefs, search, pages, the contract."""
