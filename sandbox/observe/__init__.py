"""What a run shows: daily columns, per-node and per-link records, the summary, Results."""
