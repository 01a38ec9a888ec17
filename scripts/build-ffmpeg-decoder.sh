#!/usr/bin/env bash
# Builds bin/ffmpeg-decoder and bin/ffprobe-decoder: a static, audio-only ffmpeg
# and ffprobe from Debian's own source package of the ffmpeg that is installed,
# with exactly the demuxers, decoders and filters that platform/ffmpeg whitelists
# and nothing else (no network, no devices, no external libraries).
#
# Why: Debian's ffmpeg and ffprobe link about 215 shared libraries, and loading
# them costs ~0.15 s of CPU before the first byte is read, which dominates short
# decodes (a 20-second clip decodes in ~0.02 s) and every probe. The static build
# starts in milliseconds and decodes bit-identically (same source, same
# decoders). Functions use it for Decode when FFMPEG_DECODER_PATH names it and
# for Probe when FFPROBE_PATH names the ffprobe; encoding keeps Debian's full
# ffmpeg. The ffprobe is written beside OUT.
#
# Needs: root (to add a deb-src entry when there is none and install nasm, make, gcc
# when missing) and Debian's package mirror. Takes about 3 to 4 minutes on 2 cores.
#
#   scripts/build-ffmpeg-decoder.sh [OUT]     (default bin/ffmpeg-decoder; the
#                                              ffprobe goes to ffprobe-decoder beside it)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bin/ffmpeg-decoder}
probe_out=$(dirname "$out")/ffprobe-decoder

# The source of the installed ffmpeg, or else of the one apt would install (an image
# build stage has none installed; the runtime stage installs that same version).
version=$(dpkg-query -W -f='${Version}' ffmpeg 2>/dev/null || true)
if [ -z "$version" ]; then
  [ -n "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' 2>/dev/null | head -1)" ] || apt-get update -qq
  version=$(apt-cache policy ffmpeg | awk '/Candidate:/ {print $2}')
fi
if [ -z "$version" ] || [ "$version" = "(none)" ]; then
  echo "build-ffmpeg-decoder: no Debian ffmpeg package found" >&2
  exit 1
fi
if ! grep -rqsE '^(Types: .*deb-src|deb-src )' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  cat > /etc/apt/sources.list.d/phantom-deb-src.sources <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  apt-get update -qq
fi
for tool in nasm:nasm make:make gcc:gcc xz:xz-utils; do
  command -v "${tool%%:*}" >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${tool#*:}" >/dev/null
done

work=$(mktemp -d /tmp/phantom-ffbuild.XXXXXX)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get source -qq --download-only "ffmpeg=$version" 2>/dev/null)
tar -C "$work" -xf "$work"/ffmpeg_*.orig.tar.xz
src=$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'ffmpeg-*' | head -1)

# Keep these lists in step with platform/ffmpeg (allow.go, format.go): its tests
# check the built binary against the whitelists when FFMPEG_DECODER_PATH is set.
decoders=mp1,mp1float,mp2,mp2float,mp3,mp3float,aac,aac_fixed,aac_latm,als,alac,flac,vorbis,opus
decoders+=,wavpack,ape,tta,ac3,ac3_fixed,eac3,truehd,mlp,dca,amrnb,amrwb,wmav1,wmav2,wmapro,wmalossless
decoders+=,adpcm_ms,adpcm_ima_wav,adpcm_ima_qt,gsm_ms,pcm_alaw,pcm_mulaw,pcm_s8,pcm_u8
decoders+=,pcm_s16le,pcm_s16be,pcm_u16le,pcm_u16be,pcm_s24le,pcm_s24be,pcm_u24le,pcm_u24be
decoders+=,pcm_s32le,pcm_s32be,pcm_u32le,pcm_u32be,pcm_s64le,pcm_s64be
decoders+=,pcm_f16le,pcm_f24le,pcm_f32le,pcm_f32be,pcm_f64le,pcm_f64be
demuxers=aac,ac3,aiff,amr,ape,asf,au,caf,eac3,flac,matroska,mov,mp3,ogg,w64,wav,wv
parsers=aac,aac_latm,ac3,amr,dca,flac,gsm,mlp,mpegaudio,opus,vorbis
filters=acompressor,aformat,afade,alimiter,apad,aresample,asetnsamples,asetpts,astats,atrim
filters+=,bandpass,dynaudnorm,ebur128,equalizer,highpass,loudnorm,lowpass,pan,replaygain
filters+=,silencedetect,silenceremove,volume,volumedetect,anull,aformat

(
  cd "$src"
  ./configure --disable-everything --disable-autodetect --disable-doc --disable-network \
    --disable-ffplay --enable-ffprobe --enable-ffmpeg --disable-debug \
    --enable-static --disable-shared --extra-ldflags=-static \
    --enable-protocol=file,pipe \
    --enable-demuxer="$demuxers" --enable-decoder="$decoders" --enable-parser="$parsers" \
    --enable-muxer=wav,null --enable-encoder=pcm_f32le,pcm_s16le \
    --enable-filter="$filters" --enable-swresample >"$work/configure.log" 2>&1 \
    || { tail -20 "$work/configure.log" >&2; exit 1; }
  make -j"$(nproc)" ffmpeg ffprobe >"$work/make.log" 2>&1 || { tail -30 "$work/make.log" >&2; exit 1; }
)
mkdir -p "$(dirname "$out")"
install -m 0755 "$src/ffmpeg" "$out"
install -m 0755 "$src/ffprobe" "$probe_out"
echo "build-ffmpeg-decoder: $out and $probe_out from Debian ffmpeg $version ($(du -h "$out" | cut -f1), static)" >&2
