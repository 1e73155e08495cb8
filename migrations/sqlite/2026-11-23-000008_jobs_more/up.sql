-- Resumable, shareable issue jobs: documents belong to the job that renders them and are claimed in
-- chunks under a lease a live worker renews; who rendered what is kept.
ALTER TABLE jobs ADD COLUMN reverify BOOLEAN NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN verified INTEGER NOT NULL DEFAULT 0;
ALTER TABLE documents ADD COLUMN job_id TEXT;
ALTER TABLE documents ADD COLUMN claimed_by TEXT;
ALTER TABLE documents ADD COLUMN claimed_until TEXT;
ALTER TABLE documents ADD COLUMN rendered_by TEXT;
CREATE INDEX documents_job_pending ON documents(job_id, status, serial);
-- The heartbeat renews a worker's claims by its name.
CREATE INDEX documents_claimed_by ON documents(claimed_by);
