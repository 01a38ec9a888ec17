DROP TABLE job_step;
DROP TABLE job;
