package test

import (
	"context"
	"fmt"
	"net"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/wait"

	"github.com/phantomchain/phantomchain/platform/testenv"
)

// services are the servers the end-to-end tests use.
type services struct {
	DatabaseURL string
	NATSURL     string
	S3          testenv.S3
}

var (
	servicesOnce sync.Once
	servicesErr  error
	shared       services
	containers   []testcontainers.Container
)

// stack returns the servers, from the environment or from containers; it skips (or
// fails, when services are required) when there are none.
func stack(t *testing.T) services {
	t.Helper()
	servicesOnce.Do(func() { shared, servicesErr = resolveServices() })
	if servicesErr != nil {
		testenv.Missing(t, "%v", servicesErr)
	}
	return shared
}

func resolveServices() (services, error) {
	s := services{
		DatabaseURL: os.Getenv("TEST_DATABASE_URL"),
		NATSURL:     os.Getenv("TEST_NATS_URL"),
		S3: testenv.S3{
			Endpoint:  os.Getenv("TEST_S3_ENDPOINT"),
			AccessKey: os.Getenv("TEST_S3_ACCESS_KEY"),
			SecretKey: os.Getenv("TEST_S3_SECRET_KEY"),
		},
	}
	if s.DatabaseURL != "" && s.NATSURL != "" && s.S3.Endpoint != "" {
		return s, nil
	}
	if !dockerHealthy() {
		return s, fmt.Errorf("TEST_DATABASE_URL, TEST_NATS_URL and TEST_S3_* are not all set and no Docker engine is reachable for testcontainers")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if s.DatabaseURL == "" {
		c, err := testcontainers.Run(ctx, "postgres:16-alpine",
			testcontainers.WithEnv(map[string]string{"POSTGRES_HOST_AUTH_METHOD": "trust"}),
			testcontainers.WithExposedPorts("5432/tcp"),
			testcontainers.WithWaitStrategy(wait.ForLog("database system is ready to accept connections").WithOccurrence(2)))
		if err != nil {
			return s, fmt.Errorf("postgres container: %w", err)
		}
		containers = append(containers, c)
		ep, err := c.PortEndpoint(ctx, "5432/tcp", "")
		if err != nil {
			return s, err
		}
		s.DatabaseURL = "postgres://postgres@" + ep + "/postgres?sslmode=disable"
	}
	if s.NATSURL == "" {
		c, err := testcontainers.Run(ctx, "nats:2.10-alpine",
			testcontainers.WithCmd("-js"),
			testcontainers.WithExposedPorts("4222/tcp"),
			testcontainers.WithWaitStrategy(wait.ForListeningPort("4222/tcp")))
		if err != nil {
			return s, fmt.Errorf("nats container: %w", err)
		}
		containers = append(containers, c)
		ep, err := c.PortEndpoint(ctx, "4222/tcp", "nats")
		if err != nil {
			return s, err
		}
		s.NATSURL = ep
	}
	if s.S3.Endpoint == "" {
		s.S3.AccessKey, s.S3.SecretKey = "phantom", "phantom-secret"
		c, err := testcontainers.Run(ctx, "quay.io/minio/minio:RELEASE.2025-09-07T16-13-09Z",
			testcontainers.WithCmd("server", "/data"),
			testcontainers.WithEnv(map[string]string{"MINIO_ROOT_USER": s.S3.AccessKey, "MINIO_ROOT_PASSWORD": s.S3.SecretKey}),
			testcontainers.WithExposedPorts("9000/tcp"),
			testcontainers.WithWaitStrategy(wait.ForHTTP("/minio/health/live").WithPort("9000/tcp")))
		if err != nil {
			return s, fmt.Errorf("minio container: %w", err)
		}
		containers = append(containers, c)
		ep, err := c.PortEndpoint(ctx, "9000/tcp", "")
		if err != nil {
			return s, err
		}
		s.S3.Endpoint = ep
	}
	return s, nil
}

func dockerHealthy() (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	p, err := testcontainers.ProviderDefault.GetProvider()
	if err != nil {
		return false
	}
	defer p.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return p.Health(ctx) == nil
}

func stopContainers() {
	for _, c := range containers {
		_ = testcontainers.TerminateContainer(c)
	}
}

// freePort returns a TCP port that was free a moment ago on the loopback interface.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
