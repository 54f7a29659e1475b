"""Benchmarks of survey_app: how to run them is in bench/README.md."""
