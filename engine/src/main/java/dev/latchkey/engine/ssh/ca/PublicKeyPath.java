package dev.latchkey.engine.ssh.ca;

import dev.latchkey.engine.framework.Fields;
import dev.latchkey.engine.framework.Operation;
import dev.latchkey.engine.framework.PathSpec;
import dev.latchkey.engine.framework.Request;
import dev.latchkey.engine.framework.Response;

import java.nio.charset.StandardCharsets;

/** {@code public_key}: the CA public key as raw text, without a token. */
public final class PublicKeyPath {
    private final CaKeyStore keys;

    public PublicKeyPath(CaKeyStore keys) {
        this.keys = keys;
    }

    public PathSpec spec() {
        return PathSpec.path("public_key").unauthenticated().on(Operation.READ, this::read);
    }

    private Response read(Request request, Fields f) {
        return keys.publicKey()
                .map(text -> Response.raw(200, "text/plain", text.getBytes(StandardCharsets.UTF_8)))
                .orElse(Response.empty());
    }
}
