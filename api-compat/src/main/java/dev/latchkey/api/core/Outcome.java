package dev.latchkey.api.core;

import dev.latchkey.engine.framework.Operation;
import dev.latchkey.engine.framework.Response;
import dev.latchkey.engine.lease.Lease;

/**
 * What a dispatched request produced, ready to be rendered.
 *
 * @param lease     the lease registered for the response's secret, or null
 * @param requestId the call's, for the envelope
 */
public record Outcome(Operation operation, String mountType, Response response, Lease lease, String requestId) {
}
