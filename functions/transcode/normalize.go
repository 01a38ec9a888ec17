package transcode

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/phantomchain/phantomchain/platform/contract"
)

// Normalisation constants; see the package documentation.
const (
	// tolerance is the promise: within ±0.5 LU of the target.
	tolerance = 0.5
	// aim is what the limiter's gain search stops at, well inside tolerance.
	aim = 0.05
	// losslessHeadroom and lossyHeadroom are kept between the PCM's true peak
	// and the ceiling before encoding: lossy codecs add peaks of their own.
	losslessHeadroom = 0.1
	lossyHeadroom    = 0.5
	// maxLimiterPasses bounds the gain search through the limiter.
	maxLimiterPasses = 6
	// maxEncodes bounds the encodes of one rendition when its measured peak or
	// loudness misses and the encode is redone.
	maxEncodes = 3
	// maxGainDB bounds the gain applied to very quiet sources.
	maxGainDB = 60
)

// gainPlan is how a rendition reaches its loudness target: a filter graph
// for the encode and the measurements that chose it.
type gainPlan struct {
	method  string // contract.Normalize*
	gainDB  float64
	limitDB float64 // the limiter's threshold (dBFS at 4× the rate), when used
	filter  string
	source  level // the source as the encoder receives it, before any gain
	note    string
}

// planGain measures the source as the rendition's encoder will receive it and
// chooses a linear gain when the true peak allows it, else a gain into a
// true-peak limiter, searching the gain until the limited PCM measures within
// aim of the target (offset moves the target to make up for what encoding
// changed). headroom is kept below the ceiling.
func (x *renderer) planGain(ctx context.Context, r rendition, offset, headroom float64) (gainPlan, error) {
	n := *r.target.Normalize
	target, ceiling := n.IntegratedLUFS+offset, n.Ceiling()
	src, err := x.measure(ctx, r, "")
	if err != nil {
		return gainPlan{}, err
	}
	p := gainPlan{method: contract.NormalizeNone, source: src}
	in, ok := src.integrated()
	if !ok {
		p.note = fmt.Sprintf("source loudness is undefined (%s): left as it is", src.res.Integrated.Reason)
		return p, nil
	}
	p.gainDB = min(target-in, maxGainDB)
	if src.truePeak()+p.gainDB <= ceiling-headroom {
		p.method, p.filter = contract.NormalizeGain, volume(p.gainDB)
		return p, nil
	}

	// The peaks would pass the ceiling: limit them. The limiter costs loudness,
	// so search the gain (secant steps) until the limited PCM reaches the target.
	p.method, p.limitDB = contract.NormalizeLimiter, ceiling-headroom
	g, bestMiss := p.gainDB, math.Inf(1)
	var prevG, prevI float64
	for pass := range maxLimiterPasses {
		chain := x.limiterChain(r, g, p.limitDB)
		lv, err := x.measure(ctx, r, chain)
		if err != nil {
			return gainPlan{}, err
		}
		got, ok := lv.integrated()
		if !ok {
			break
		}
		if miss := math.Abs(target - got); miss < bestMiss {
			bestMiss, p.gainDB, p.filter = miss, g, chain
		}
		if math.Abs(target-got) <= aim {
			break
		}
		slope := 1.0
		if pass > 0 && g != prevG {
			// Limiting compresses: a dB of gain raises loudness by less.
			slope = min(max((got-prevI)/(g-prevG), 0.1), 1)
		}
		prevG, prevI = g, got
		g = min(g+(target-got)/slope, maxGainDB)
	}
	if bestMiss > tolerance {
		p.note = fmt.Sprintf("the ceiling leaves no room for %g LUFS: the limiter got within %.2f LU", target, bestMiss)
	}
	return p, nil
}

// limiterChain upsamples to 4× (2× above 48 kHz), so that the limiter sees the
// peaks between samples that a true-peak meter sees, applies the gain and the
// limiter, and returns to the rendition's rate. A downmix comes first, so the
// limiter sees the channels that are encoded.
func (x *renderer) limiterChain(r rendition, gainDB, limitDB float64) string {
	var parts []string
	if r.channels != x.src.channels && r.layout != "" {
		parts = append(parts, "aformat=channel_layouts="+r.layout)
	}
	over := 4
	if r.rate > 48000 {
		over = 2
	}
	parts = append(parts,
		fmt.Sprintf("aresample=%d", r.rate*over),
		volume(gainDB),
		// level=0: no automatic make-up gain; latency=1: no lookahead delay.
		fmt.Sprintf("alimiter=limit=%.6f:attack=5:release=50:level=0:latency=1", math.Pow(10, limitDB/20)),
		fmt.Sprintf("aresample=%d", r.rate))
	return strings.Join(parts, ",")
}

func volume(db float64) string { return fmt.Sprintf("volume=%.2fdB", db) }

// measure measures the source through filter as rendition r's encoder receives
// it; measurements are cached for the renditions that share them.
func (x *renderer) measure(ctx context.Context, r rendition, filter string) (level, error) {
	key := fmt.Sprintf("%d/%d/%s", r.rate, r.channels, filter)
	if lv, ok := x.levels[key]; ok {
		return lv, nil
	}
	lv, err := measure(ctx, x.runner, x.job, filter, r.rate, r.channels, r.layout, x.src.duration.Seconds(),
		func(f float64) { x.report("measure", f) })
	if err != nil {
		return level{}, err
	}
	x.levels[key] = lv
	return lv, nil
}

// loudnessResult describes what normalisation did, with the rendition's own
// measurement out.
func loudnessResult(n contract.TranscodeNormalize, p gainPlan, out level, encodes int) *contract.TranscodeLoudness {
	res := &contract.TranscodeLoudness{
		TargetLUFS: n.IntegratedLUFS, CeilingDBTP: n.Ceiling(),
		Method: p.method, GainDB: round2(p.gainDB), Encodes: encodes, Note: p.note,
		SourceLUFS:         defined(p.source.res.Integrated.Value, p.source.res.Integrated.Defined()),
		SourceTruePeakDBTP: defined(p.source.truePeak(), p.source.res.TruePeak.Defined()),
		IntegratedLUFS:     defined(out.res.Integrated.Value, out.res.Integrated.Defined()),
		TruePeakDBTP:       defined(out.truePeak(), out.res.TruePeak.Defined()),
		LRA:                defined(out.res.LRA.Value, out.res.LRA.Defined()),
	}
	if p.method == contract.NormalizeLimiter {
		res.LimiterDBTP = defined(p.limitDB, true)
	}
	if got, ok := out.integrated(); ok && p.method != contract.NormalizeNone {
		res.Within = math.Abs(got-n.IntegratedLUFS) <= tolerance && out.truePeak() <= n.Ceiling()
	}
	return res
}

func defined(v float64, ok bool) *float64 {
	if !ok || math.IsInf(v, 0) || math.IsNaN(v) {
		return nil
	}
	v = round2(v)
	return &v
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }
