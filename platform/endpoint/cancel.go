package endpoint

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
)

// CancelSubject carries cancellations: a caller that gives up on a call (its
// context is canceled or expires: the job was canceled, the gateway is stopping)
// publishes the call's reply inbox prefix here. Every function instance listens,
// cancels the handler working on that call, and drops copies of it that have not
// started yet, so that nothing keeps encoding for nobody. A caller that dies
// sends nothing; its calls run to their end as before.
const CancelSubject = SubjectPrefix + "._cancel"

// canceledTTL is how long a cancellation is remembered for copies of the call
// still waiting in a busy instance's queue.
const canceledTTL = 10 * time.Minute

// maxCanceled bounds the remembered cancellations.
const maxCanceled = 10000

// cancels tracks the calls in flight by inbox prefix, and recent cancellations.
type cancels struct {
	mu       sync.Mutex
	inflight map[string]context.CancelFunc
	canceled map[string]time.Time
}

func newCancels() *cancels {
	return &cancels{inflight: map[string]context.CancelFunc{}, canceled: map[string]time.Time{}}
}

// callID is the part of a reply subject that all copies of one call share: Call
// gives each copy the subject <prefix>.<n>.
func callID(reply string) string {
	if i := strings.LastIndexByte(reply, '.'); i > 0 {
		return reply[:i]
	}
	return reply
}

// track registers a call being handled; it reports false when the call was
// canceled already. The returned func unregisters it.
func (c *cancels) track(id string, cancel context.CancelFunc) (bool, func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.canceled[id]; ok {
		return false, func() {}
	}
	c.inflight[id] = cancel
	return true, func() {
		c.mu.Lock()
		delete(c.inflight, id)
		c.mu.Unlock()
	}
}

// cancel cancels the call id if it is being handled here, and remembers it.
func (c *cancels) cancel(id string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now()
	if len(c.canceled) >= maxCanceled {
		for k, at := range c.canceled {
			if now.Sub(at) > canceledTTL || len(c.canceled) >= maxCanceled {
				delete(c.canceled, k)
			}
		}
	}
	c.canceled[id] = now
	if f, ok := c.inflight[id]; ok {
		f()
		return true
	}
	return false
}

// sendCancel tells the function instances that the call whose reply subjects
// start with prefix is abandoned.
func sendCancel(nc *nats.Conn, prefix string) {
	_ = nc.Publish(CancelSubject, []byte(prefix))
}
