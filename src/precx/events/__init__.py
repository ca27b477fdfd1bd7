"""The transactional outbox, its dispatcher, and later the delivery of alerts."""
