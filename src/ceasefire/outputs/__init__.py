"""What `ceasefire run` writes: events.parquet, violations.csv, summary.json, report.html,
issues.json."""
