# PhantomChain's developer commands. Every target loops over the workspace's
# modules (go.work), so a new module is picked up without editing this file.

GO      ?= go
MODULES := $(shell $(GO) list -m -f '{{.Dir}}')
BIN     := bin

.PHONY: test vet fmt-check unit build run tidy ffmpeg-decoder eval

## test: formatting and vet checks, then every module's tests. Integration and
## end-to-end tests use the services named by TEST_DATABASE_URL, TEST_NATS_URL and
## TEST_S3_* (see README); PHANTOM_REQUIRE_SERVICES=1 fails instead of skipping.
test: fmt-check vet unit

unit:
	@set -e; for d in $(MODULES); do \
		echo "== go test $$d"; (cd $$d && $(GO) test -count=1 -timeout 30m ./...); \
	done

vet:
	@set -e; for d in $(MODULES); do (cd $$d && $(GO) vet ./...); done

fmt-check:
	@out=$$(gofmt -l $(MODULES)); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

## build: the gateway and every function command, into bin/.
build:
	@mkdir -p $(BIN)
	$(GO) build -o $(BIN)/ ./gateway/cmd/gateway github.com/phantomchain/phantomchain/functions/.../cmd/...

## ffmpeg-decoder: a static, audio-only ffmpeg and ffprobe built from Debian's source
## that the functions use for decoding and probing when FFMPEG_DECODER_PATH and
## FFPROBE_PATH name them (see the script).
ffmpeg-decoder: $(BIN)/ffmpeg-decoder
$(BIN)/ffmpeg-decoder: scripts/build-ffmpeg-decoder.sh
	scripts/build-ffmpeg-decoder.sh $@

## eval: the analyze function on the labelled development clips, scored and timed
## beside Essentia (see functions/analyze/cmd/analyze-eval).
eval:
	$(GO) run ./functions/analyze/cmd/analyze-eval

## run: the gateway and the functions on this machine, against local PostgreSQL and
## NATS, with blobs in ./data/blobs (see scripts/run-local.sh).
run: build
	@scripts/run-local.sh

tidy:
	@set -e; for d in $(MODULES); do (cd $$d && $(GO) mod tidy); done
