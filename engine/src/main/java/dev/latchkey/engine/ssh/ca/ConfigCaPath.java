package dev.latchkey.engine.ssh.ca;

import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.Fields;
import dev.latchkey.engine.framework.Operation;
import dev.latchkey.engine.framework.PathSpec;
import dev.latchkey.engine.framework.Request;
import dev.latchkey.engine.framework.Response;

import java.util.Map;

/**
 * {@code config/ca}, with Vault's answers: it generates or imports the mount's CA, which becomes
 * its first (and default) issuer, reads the default issuer's public key, and deletes the CA.
 * OpenBao lets a second {@code POST} silently add a new default, and a {@code DELETE} remove every
 * issuer; here a second CA is refused as Vault refuses it (rotation is done with the issuer paths),
 * and a mount with several issuers has them deleted one at a time.
 */
public final class ConfigCaPath {
    private final IssuerStore issuers;

    public ConfigCaPath(IssuerStore issuers) {
        this.issuers = issuers;
    }

    public PathSpec spec() {
        return KeyMaterial.fields(PathSpec.path("config/ca"))
                .on(Operation.UPDATE, this::write)
                .on(Operation.READ, this::read)
                .on(Operation.DELETE, this::delete);
    }

    private Response write(Request request, Fields f) {
        KeyMaterial.Decision decision = KeyMaterial.decide(f, KeyMaterial.Dialect.VAULT);
        // Vault generates first and reports the conflict after; checking first spares an RSA-4096 generation
        if (!issuers.snapshot().isEmpty()) {
            throw alreadyConfigured();
        }
        KeyMaterial.Pair pair = KeyMaterial.produce(decision, KeyMaterial.Dialect.VAULT, request.cancellation());
        if (issuers.create("", pair.publicKey(), pair.privateKey(), true, true).isEmpty()) {
            throw alreadyConfigured(); // another request configured one meanwhile
        }
        return decision.generate() ? Response.of(Map.of("public_key", pair.publicKey())) : Response.empty();
    }

    private static EngineException alreadyConfigured() {
        return EngineException.user("keys are already configured; delete them before reconfiguring");
    }

    private Response read(Request request, Fields f) {
        IssuerStore.Issuer issuer = issuers.snapshot().defaultIssuer()
                .orElseThrow(() -> EngineException.user("keys haven't been configured yet"));
        return Response.of(Map.of("public_key", issuer.publicKey()));
    }

    private Response delete(Request request, Fields f) {
        int count = issuers.snapshot().issuers().size();
        if (count > 1) {
            throw EngineException.user("this mount has " + count + " issuers: delete them one at a time with "
                    + "DELETE " + request.mount().path() + "issuer/<issuer_ref>, the default last");
        }
        issuers.deleteAllAndLegacy();
        return Response.empty();
    }
}
