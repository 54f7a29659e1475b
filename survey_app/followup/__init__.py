"""Policy follow-up: what the city did with each recommendation, and what residents say, wave after wave.

Plain modules without Flask: the content (records, indicators, waves, population) is read and
checked by reader.py; intervals.py, weighting.py and estimates.py turn responses into figures.
"""
