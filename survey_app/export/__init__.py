"""Exports of results for analysts: frames from the database, anonymisation, files and codebook.

No module here imports Flask: the CLI and the results pages are thin wrappers around
package.export_questionnaire.
"""
