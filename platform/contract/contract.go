// Package contract holds the request and response payloads of PhantomChain's
// functions: the JSON that travels over NATS between the gateway (or any caller, such
// as `nats micro req`) and the function services. Payloads carry references to
// objects in the blob store and parameters, never media bytes.
//
// A breaking change to a payload gets a new verb (a new subject), so old and new
// callers and functions can run side by side during a deployment.
package contract

import (
	"github.com/phantomchain/phantomchain/platform/fault"
)

// ObjectRef names an object in the blob store that the function and its caller share.
type ObjectRef struct {
	Key string `json:"key"`
}

// Validate checks that the reference names an object.
func (o ObjectRef) Validate(field string) error {
	if o.Key == "" {
		return fault.Errorf(fault.Invalid, "%s.key is required", field)
	}
	return nil
}
