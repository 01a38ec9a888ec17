// Package packaging checks PhantomChain's container packaging without a container
// engine: Dockerfile.function, .dockerignore, docker-compose.yml and the
// Prometheus configuration are parsed with the parsers the real tools use
// (BuildKit's Dockerfile parser, the Compose specification loader) and checked
// against the programs in the workspace.
//
// The checks tie each file to the code rather than to a list kept beside it:
//
//   - the build script of Dockerfile.function is run by sh with a stand-in for
//     `go` that records its arguments, so the package, flags and version stamp the
//     image would build are the ones checked, for every FUNCTION value;
//   - the build context left by .dockerignore must hold every Go file and
//     embedded file of the packages the programs link (`go list -deps`);
//   - every environment variable a compose service sets must be one its program
//     reads: the names are collected from the Go source of the packages it links
//     (calls such as e.String("NATS_URL", …) or prefix+"WORKDIR");
//   - the compose services' credentials and host names agree with the services
//     they point at, and Prometheus scrapes every program the stack runs.
//
// No service is started: the tests always run.
package packaging
