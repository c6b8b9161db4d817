-- The per-host summary groups by host and counts states: a covering index answers it without the table.
CREATE INDEX attacks_host_state ON attacks (host, state, created_at);
