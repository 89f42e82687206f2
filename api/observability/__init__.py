"""Operating the site: readiness, structured logs, metrics."""
