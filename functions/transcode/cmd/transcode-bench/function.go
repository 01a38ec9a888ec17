package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/phantomchain/phantomchain/functions/transcode"
	"github.com/phantomchain/phantomchain/platform/blob"
	"github.com/phantomchain/phantomchain/platform/config"
	"github.com/phantomchain/phantomchain/platform/contract"
	"github.com/phantomchain/phantomchain/platform/endpoint"
	"github.com/phantomchain/phantomchain/platform/ffmpeg"
	"github.com/phantomchain/phantomchain/platform/storage"
)

// function is the transcode function served on an embedded NATS server, as a
// deployed instance is, and a client connection to call it.
type function struct {
	ns     *server.Server
	nc     *nats.Conn
	srv    *endpoint.Server
	blobs  blob.Store
	prefix string
	calls  int
	reg    *prometheus.Registry // the function's own metrics
}

// startFunction serves the function with the configuration the environment
// gives a deployed instance (TRANSCODE_*, FFMPEG_*), the blob store scfg and
// job folders under workDir.
func startFunction(ctx context.Context, getenv func(string) string, scfg storage.Config, workDir string) (*function, error) {
	cfg, err := transcode.LoadConfig(config.NewEnv(getenv))
	if err != nil {
		return nil, err
	}
	cfg.FFmpeg.WorkDir = workDir
	runner, err := ffmpeg.New(cfg.FFmpeg)
	if err != nil {
		return nil, err
	}
	blobs, err := storage.Open(ctx, scfg)
	if err != nil {
		return nil, fmt.Errorf("blob store: %w", err)
	}
	ns, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: server.RANDOM_PORT, NoLog: true, NoSigs: true})
	if err != nil {
		return nil, err
	}
	go ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		ns.Shutdown()
		return nil, errors.New("embedded NATS server did not start")
	}
	f := &function{ns: ns, blobs: blobs, prefix: "bench/" + strconv.FormatInt(time.Now().UnixNano(), 36) + "/",
		reg: prometheus.NewRegistry()}
	if f.nc, err = nats.Connect(ns.ClientURL()); err != nil {
		f.close()
		return nil, err
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	f.srv, err = endpoint.Start(f.nc, endpoint.Config{Name: "transcode", Version: "0.0.0-bench",
		Endpoints: transcode.Endpoints(transcode.New(runner, blobs, cfg.MaxInputBytes, f.reg), cfg.RequestTimeout)},
		log, prometheus.NewRegistry())
	if err != nil {
		f.close()
		return nil, err
	}
	return f, nil
}

// put stores the source in the blob store.
func (f *function) put(ctx context.Context, path string) (string, error) {
	key := f.prefix + "source"
	_, err := blob.Upload(ctx, f.blobs, key, path, blob.PutOptions{ContentType: "audio/mpeg"})
	return key, err
}

// time calls the function for one preset as the gateway does (with heartbeats)
// and returns its wall time, the rendition's size and how many of its bytes
// went up while it was being encoded; the rendition is deleted.
func (f *function) time(ctx context.Context, key, preset string) (time.Duration, int64, int64, error) {
	f.calls++
	req := contract.TranscodeRequest{
		Input:        contract.ObjectRef{Key: key},
		OutputPrefix: fmt.Sprintf("%sout/%d/", f.prefix, f.calls),
		Options:      contract.TranscodeOptions{Targets: []contract.TranscodeTarget{{Preset: preset}}},
	}
	var res contract.TranscodeResult
	early := f.counter("phantom_transcode_early_upload_bytes_total")
	start := time.Now()
	err := endpoint.Call(ctx, f.nc, contract.TranscodeSubject, req, &res, endpoint.CallOptions{Heartbeat: 2 * time.Second})
	d := time.Since(start)
	if err != nil {
		return 0, 0, 0, err
	}
	out := res.Outputs[0]
	early = f.counter("phantom_transcode_early_upload_bytes_total") - early
	return d, out.Size, int64(early), f.blobs.Delete(ctx, out.Key)
}

// counter returns the value of one of the function's counters, 0 if missing.
func (f *function) counter(name string) float64 {
	families, _ := f.reg.Gather()
	for _, m := range families {
		if m.GetName() == name && len(m.GetMetric()) == 1 {
			return m.GetMetric()[0].GetCounter().GetValue()
		}
	}
	return 0
}

func (f *function) close() {
	if f.srv != nil {
		_ = f.srv.Shutdown(context.Background())
	}
	if f.nc != nil {
		f.nc.Close()
	}
	if f.blobs != nil {
		_ = f.blobs.Delete(context.Background(), f.prefix+"source")
	}
	f.ns.Shutdown()
}
