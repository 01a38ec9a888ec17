package r128_test

import (
	"bytes"
	"fmt"
	"math"

	"github.com/phantomchain/phantomchain/functions/loudness/r128"
)

// sine returns seconds of a 1 kHz stereo sine at 48 kHz with peak level dBFS.
func sine(seconds, dBFS float64) []float32 {
	n := int(seconds * 48000)
	x := make([]float32, 2*n)
	a := math.Pow(10, dBFS/20)
	for i := range n {
		v := float32(a * math.Sin(2*math.Pi*1000*float64(i)/48000))
		x[2*i], x[2*i+1] = v, v
	}
	return x
}

func ExampleMeter() {
	m, err := r128.New(r128.Config{SampleRate: 48000, Channels: 2, Layout: "stereo", TruePeak: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	m.Write(sine(10, -23))
	r := m.Result()
	fmt.Printf("I %.1f LUFS, LRA %.1f LU, true peak %.1f dBTP\n", r.Integrated.Value, r.LRA.Value, r.TruePeak.Value)
	// Output: I -23.0 LUFS, LRA 0.0 LU, true peak -23.0 dBTP
}

func ExampleMeter_ReadFrom() {
	// The loudness service pipes `ffmpeg -i FILE -f f32le -acodec pcm_f32le -` here.
	pcm := bytes.NewReader(f32le(sine(5, -20)))
	m, err := r128.New(r128.Config{SampleRate: 48000, Channels: 2, TruePeak: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := m.ReadFrom(pcm); err != nil {
		fmt.Println(err)
		return
	}
	r := m.Result()
	fmt.Printf("I %.1f LUFS over %v\n", r.Integrated.Value, r.Duration)
	// Output: I -20.0 LUFS over 5s
}

func ExampleMeter_Result_undefined() {
	m, err := r128.New(r128.Config{SampleRate: 48000, Channels: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	m.Write(make([]float32, 2*48000)) // one second of digital silence
	r := m.Result()
	fmt.Println(r.Integrated.Value, r.Integrated.Reason, r.Integrated.Defined())
	// Output: -Inf silence false
}

func ExampleVerdicts() {
	m, err := r128.New(r128.Config{SampleRate: 48000, Channels: 2, TruePeak: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	m.Write(sine(10, -16))
	for _, v := range r128.Verdicts(m.Result()) {
		fmt.Printf("%s: %v: %s\n", v.Target.Name, v.Pass, v.Reason)
	}
	// Output:
	// EBU R 128: false: -16.0 LUFS is 7.0 LU above -23 ± 0.5 LU; true peak -16.0 dBTP is within -1 dBTP
	// Streaming: false: -16.0 LUFS is 2.0 LU below -14 ± 1 LU; true peak -16.0 dBTP is within -1 dBTP
	// Podcast: true: -16.0 LUFS is within -16 ± 1 LU; true peak -16.0 dBTP is within -1 dBTP
	// ATSC A/85: false: -16.0 LUFS is 8.0 LU above -24 ± 2 LU; true peak -16.0 dBTP is within -2 dBTP
}

func ExampleTarget_Check() {
	broadcast := r128.Target{Name: "in-house", Integrated: -23, Tolerance: 1, MaxTruePeak: -2, Source: "house style"}
	v := broadcast.Check(r128.Result{Integrated: r128.Level{Value: -22.3}, TruePeak: r128.Level{Value: -1.4}})
	fmt.Println(v.Pass, v.Reason)
	// Output: false -22.3 LUFS is within -23 ± 1 LU; true peak -1.4 dBTP exceeds -2 dBTP
}

func ExampleWeights() {
	w, err := r128.Weights("5.1", 6) // FL FR FC LFE BL BR
	fmt.Println(w, err)
	// Output: [1 1 1 0 1.41 1.41] <nil>
}
