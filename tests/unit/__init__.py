"""Tests of single modules: no app, no server."""
