package dev.latchkey.engine.ssh.inventory;

import dev.latchkey.engine.framework.Fields;
import dev.latchkey.engine.framework.Operation;
import dev.latchkey.engine.framework.PathSpec;
import dev.latchkey.engine.framework.Request;
import dev.latchkey.engine.framework.Response;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * {@code krl}: the mount's OpenSSH key revocation list, without a token (hosts fetch it for
 * {@code RevokedKeys} and {@code RevokedHostKeys}), with an entity tag so that a host polling with
 * {@code If-None-Match} downloads it only after it changed; {@code krl/text} gives the same as
 * {@code ssh-keygen -k} specification text, for people to read.
 */
public final class KrlPath {
    private final KrlPublisher krl;
    private final LongSupplier clockMillis;

    public KrlPath(KrlPublisher krl, LongSupplier clockMillis) {
        this.krl = krl;
        this.clockMillis = clockMillis;
    }

    public List<PathSpec> specs() {
        return List.of(
                PathSpec.path("krl").unauthenticated().on(Operation.READ, this::binary),
                PathSpec.path("krl/text").unauthenticated().on(Operation.READ, this::text));
    }

    private Response binary(Request request, Fields f) {
        KrlPublisher.Published p = krl.current(clockMillis.getAsLong() / 1000);
        return Response.raw(200, "application/octet-stream", p.krl(), p.etag());
    }

    private Response text(Request request, Fields f) {
        KrlPublisher.Published p = krl.current(clockMillis.getAsLong() / 1000);
        return Response.raw(200, "text/plain; charset=utf-8", krl.text(p).getBytes(StandardCharsets.UTF_8), p.etag());
    }
}
