"""Tests of the app in-process, through Flask's test client."""
