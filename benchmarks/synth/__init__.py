"""A deterministic synthetic corpus with valid citations: ``python -m benchmarks.synth``.

The corpus has the layout of a real build (``layout.create`` and the rows
``entries.rows`` gives each record) and the meta keys ``api.build`` writes, so
the API serves it unchanged. Every citation holds: ``text[start:end] == quote``,
prefix and suffix the 32 characters around it (``api.citations``).

Texts are pseudo-words drawn with a Zipf law (the word of rank r has
probability ~1/r): a few words occur in most records, words of rank ~100-300
in about 1% of them, the tail in a handful. ``word(rank, seed)`` names them
for the search benchmark.

Speed (a million records in under a minute on two cores; measured in
docs/BENCHMARKS.md):

* the records of the five large resources are built in their output form
  and their rows computed without ``entries.rows``; every ``SAMPLE``-th record
  of every resource is checked against the real thing: loaded and dumped by
  its marshmallow schema (the stored JSON must come out byte for byte), its
  citations verified by ``api.citations.verify``, its rows compared with
  ``entries.rows``. Any difference aborts the run (``DriftError``);
* the corpus is built with the garbage collector off and then frozen
  (``gc.freeze``): its millions of objects are never scanned again, here or
  in the forked workers, which run with the collector off (they make no
  cycles). A child process makes half the document texts meanwhile;
* two worker processes generate the rows, chunk by chunk, and write each
  chunk into a SQLite file of its own; this process copies them in with
  ``INSERT … SELECT`` (no pickling, no Python per row), in chunk order:
  indexes are dropped meanwhile and recreated from their own SQL afterwards;
* a child process builds the full-text index (``api.fulltext``) from the
  chunk files as this process hands them on, in chunk order (so in the
  ``search`` table's rowid order), and deletes each once read;
* the link tables' rows go into a file of each worker's own; once every chunk
  is in, a child process per link table copies its rows from there in
  primary-key order and indexes them while this process makes the other
  indexes; the finished tables are then copied into empty tables with the
  same indexes, page by page (SQLite's transfer optimisation: no sorting
  twice);
* SQLite sorts (index builds, ``ORDER BY``) in runs the size of a small page
  cache that it then merges, temporary files allowed (``_sort_in_runs``):
  about half the CPU time of one in-memory sort;
* the files that live only during the run (chunks, link rows and tables) are
  in memory (``/dev/shm``) when there is room, else beside the database;
* the file is written with journaling off under a temporary name and renamed
  into place as ``briefs build`` does (``Writer.replace_with``).

The dataset version is a digest of every stored record's JSON, resource by
resource in name order, records in id order (with the pycountry version),
hashed in fixed chunks: the same seed and size give the same version.
"""

from benchmarks.synth.corpus import Corpus
from benchmarks.synth.rows import DriftError
from benchmarks.synth.words import vocabulary, word
from benchmarks.synth.writing import synthesize

__all__ = ["Corpus", "DriftError", "synthesize", "vocabulary", "word"]
