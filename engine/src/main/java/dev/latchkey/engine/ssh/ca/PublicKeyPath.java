package dev.latchkey.engine.ssh.ca;

import dev.latchkey.engine.framework.Fields;
import dev.latchkey.engine.framework.Operation;
import dev.latchkey.engine.framework.PathSpec;
import dev.latchkey.engine.framework.Request;
import dev.latchkey.engine.framework.Response;

import java.nio.charset.StandardCharsets;

/**
 * {@code public_key}: the default issuer's public key as raw text, without a token; Vault's
 * {@code 404} when the mount has no CA (OpenBao answers {@code 400 no default issuer currently configured}).
 */
public final class PublicKeyPath {
    private final IssuerStore issuers;

    public PublicKeyPath(IssuerStore issuers) {
        this.issuers = issuers;
    }

    public PathSpec spec() {
        return PathSpec.path("public_key").unauthenticated().on(Operation.READ, this::read);
    }

    private Response read(Request request, Fields f) {
        return issuers.snapshot().defaultIssuer()
                .map(i -> Response.raw(200, "text/plain", i.publicKey().getBytes(StandardCharsets.UTF_8)))
                .orElse(Response.empty());
    }
}
