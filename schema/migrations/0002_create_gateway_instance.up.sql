-- Live gateways renew their row every few seconds. A gateway that stops renewing has
-- died: the steps it was running are handed back to the queue at once rather than
-- after River's stuck-job rescue, which must wait out the longest call.
CREATE TABLE gateway_instance (
    id text PRIMARY KEY,
    started_at timestamptz NOT NULL DEFAULT now(),
    seen_at timestamptz NOT NULL DEFAULT now()
);
