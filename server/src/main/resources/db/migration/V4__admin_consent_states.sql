-- The ids (jti) of admin consent states the callback has accepted (dev.graphgate.server.connect.ConsumedConsentStates):
-- the primary key makes each link work once across every instance. The state itself is never stored (links are
-- self-contained and signed); rows are deleted a day after their state expired.
CREATE TABLE admin_consent_states (
    state_id    VARCHAR(64) PRIMARY KEY,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    consumed_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX admin_consent_states_expires ON admin_consent_states (expires_at);
