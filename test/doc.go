// Package test holds PhantomChain's end-to-end and fault tests. They run the real
// programs (the gateway and the functions, built from this workspace) against real
// PostgreSQL, NATS and S3 (MinIO) servers and real ffmpeg.
//
// The servers come from the environment (TEST_DATABASE_URL, TEST_NATS_URL,
// TEST_S3_ENDPOINT, TEST_S3_ACCESS_KEY, TEST_S3_SECRET_KEY), as CI gives them. When
// the environment names none and a Docker engine is reachable, testcontainers-go
// starts them; otherwise the tests are skipped with a message, or fail when
// PHANTOM_REQUIRE_SERVICES=1. This is the only module that imports testcontainers.
package test
