-- A job is one uploaded input and the steps run on it.
CREATE TABLE job (
    id uuid PRIMARY KEY,
    tenant text NOT NULL,
    state text NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'canceled')),
    input_key text NOT NULL,
    input_name text NOT NULL DEFAULT '',
    input_size bigint NOT NULL CHECK (input_size >= 0),
    input_sha256 text NOT NULL DEFAULT '',
    input_content_type text NOT NULL DEFAULT '',
    input_format text NOT NULL DEFAULT '',
    options jsonb NOT NULL DEFAULT '{}',
    error jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    started_at timestamptz,
    finished_at timestamptz
);

-- Listing newest first with keyset pagination, with and without a state filter.
CREATE INDEX job_tenant_created_idx ON job (tenant, created_at DESC, id DESC);
CREATE INDEX job_tenant_state_created_idx ON job (tenant, state, created_at DESC, id DESC);

-- A step is one function call of a job. Steps of a stage start when every step of the
-- earlier stages has succeeded.
CREATE TABLE job_step (
    job_id uuid NOT NULL REFERENCES job (id) ON DELETE CASCADE,
    name text NOT NULL,
    function text NOT NULL,
    stage smallint NOT NULL CHECK (stage >= 0),
    state text NOT NULL CHECK (state IN ('pending', 'queued', 'running', 'succeeded', 'failed', 'canceled')),
    params jsonb NOT NULL DEFAULT '{}',
    attempts integer NOT NULL DEFAULT 0,
    result jsonb,
    error jsonb,
    progress jsonb,
    river_job_id bigint,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    started_at timestamptz,
    finished_at timestamptz,
    PRIMARY KEY (job_id, name)
);

CREATE INDEX job_step_state_idx ON job_step (state) WHERE state IN ('queued', 'running');
