"""Conformance reports: results.json is the one source; Markdown, HTML and JUnit are views of it."""
