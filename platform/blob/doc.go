// Package blob is PhantomChain's object store: uploads, renditions and analysis
// artefacts live in it under server-generated keys. [Store] is the interface the
// gateway and the functions use; two drivers implement it, [s3blob] (S3 or MinIO
// through minio-go) and [fileblob] (a local folder, for standalone mode), and
// [blobtest.RunConformance] holds both to the same contract.
//
// # Keys
//
// A key is a slash-separated path of segments made of [A-Za-z0-9._-], such as
// "t/0190c3f4/job/8d1e/input.wav": no empty segment, no "." or "..", no leading
// or trailing slash, at most [MaxKeyLen] bytes ([ValidateKey]). The rules keep keys
// portable to any S3 implementation and to any file system, and make path
// traversal impossible by construction.
//
// A key must not be an object and, followed by a slash, the prefix of other
// objects at the same time ("a" beside "a/b"): S3 allows it, but MinIO accepts
// both and then hides "a/b" from listings, so the behaviour is undefined.
// Keys made of fixed-depth paths ("t/<tenant>/j/<job>/<file>") never do it.
//
// # Contract
//
//   - Put is atomic: a reader sees the whole old object, the whole new one or
//     nothing, never a partial object; a Put that fails or is canceled changes
//     nothing and leaves nothing visible in List. The reader is consumed as a stream, so
//     memory stays bounded whatever the size.
//   - A missing object is [ErrNotFound] (match it with errors.Is), a
//     [*fault.Error] of kind [fault.NotFound].
//   - Invalid arguments are errors of kind [fault.Invalid]; an unreachable
//     backend is [fault.Unavailable]; a canceled or expired context is returned
//     as is (wrapped), so [fault.KindOf] reports Canceled or Timeout.
//   - List yields objects in lexical (byte-wise) key order.
//   - Info.ETag is an opaque validator that changes when the content changes; it
//     is not necessarily a hash of the content (S3 multipart ETags are not).
//
// [Download] and [Upload] move objects to and from local files, which is how the
// functions feed ffmpeg: it only ever reads local files in a private folder.
// [FileUpload] stores a file while ffmpeg is still writing it, in parts on a
// [MultipartStore] (the S3 driver), so that little of the upload is left when
// the encoder exits; the first part goes last and changed parts are sent again,
// so what is published is exactly the final file.
//
// [s3blob]: https://pkg.go.dev/github.com/phantomchain/phantomchain/platform/blob/s3blob
// [fileblob]: https://pkg.go.dev/github.com/phantomchain/phantomchain/platform/blob/fileblob
// [blobtest.RunConformance]: https://pkg.go.dev/github.com/phantomchain/phantomchain/platform/blob/blobtest#RunConformance
package blob
