// Package fileblob is a [blob.Store] in a local folder, for standalone mode and
// tests.
//
// # Layout
//
// The object "a/b/c.wav" is the file dir/a/b/c.wav@. The '@' suffix cannot occur
// in a key segment, so an object file never collides with the directory of a
// longer key ("a" and "a/b" coexist as a@ and a/b@) nor with the temporary files
// of Put, named c.wav@tmp-<random>. The attributes (size, content type, user
// metadata and ETag) are a JSON trailer at the end of the object file rather than
// in a separate file: one rename then publishes content and attributes together.
// The ETag is the lowercase hex SHA-256 of the content.
//
// # Safety
//
//   - Put writes a temporary file in the object's directory (so on the same file
//     system), fsyncs it, renames it over the object and fsyncs the directory. A
//     failed or canceled Put removes its temporary file; one left by a crash is
//     ignored by List and can be deleted at leisure.
//   - Keys are validated ([blob.ValidateKey]), and every file access goes through
//     an [os.Root] opened on the folder, so no key and no symbolic link can reach
//     outside it.
//   - Directories are created with mode 0700 and files with 0600; Delete removes
//     directories it leaves empty.
//
// PresignGet returns [blob.ErrPresignUnsupported]: serve objects with Get instead.
package fileblob
