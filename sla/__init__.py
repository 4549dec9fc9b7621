"""SLA: interval algebra, availability, response time, reports and audit export (next issue)."""
