"""Tests of the real processes: gunicorn, the worker, the cluster, the soak."""
