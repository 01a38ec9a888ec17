// Package endpoint is the function runtime: it serves a PhantomChain function as a
// NATS micro service, and it calls one.
//
// # Serving
//
// [Serve] registers a [Config]'s endpoints with micro.AddService under the subject
// group phantom.<function> (so `nats micro ls|info|stats|ping|req` work) in the
// default queue group, so that starting another instance is all that scaling takes.
//
// micro runs one handler at a time per endpoint subscription and measures its
// statistics per handler call. A process that should run K requests at once therefore
// registers K service instances (Config.Concurrency), each handling one request at a
// time, rather than returning early and working in the background, which would make
// `nats micro stats` lie. Every instance advertises the process's capacity in its
// metadata (max_concurrency).
//
// A [Handler] returns a result, which is sent as the JSON reply, or an error, which is
// sent as a micro error whose numeric code is the [fault.Kind]'s code (4xx: the input
// is at fault and retrying is useless; 5xx: worth retrying). Internal error details
// are logged, never sent.
//
// # Progress and heartbeats
//
// A caller that sets the Phantom-Progress request header (its value is a heartbeat
// interval such as "2s") receives interim messages on its reply inbox before the
// final reply: a "started" event as the handler begins, "heartbeat" events every
// interval while it runs, and "progress" events sent by the handler through
// [ReportProgress]. Interim messages carry the Phantom-Event header; the final reply
// does not. A caller that does not ask (nats micro req, nats req) gets exactly one
// reply. [Call] is the client side: it treats a started call that stays silent for
// longer than its heartbeat timeout as lost, so a killed instance is noticed in
// seconds, not at the end of the full timeout.
//
// # Cancellation
//
// When [Call]'s context ends before the reply (the job was canceled, the caller is
// stopping, its deadline passed), it publishes the call's reply inbox prefix on
// [CancelSubject]. Every instance listens: the one handling the call cancels the
// handler's context (the ffmpeg runner then kills its process group), and copies of
// the call still queued at a busy instance are dropped when they come up, counted
// with code "canceled". A caller that dies sends nothing; its calls run to their end.
//
// # Shutdown
//
// When Serve's context ends, the services stop taking requests (their subscriptions
// drain; requests already delivered are answered 503 so callers retry elsewhere),
// in-flight handlers get Config.ShutdownGrace to finish, then their contexts are
// canceled and they answer 503 too.
package endpoint
