package dev.latchkey.engine.ssh.dynamic;

import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.FieldType;
import dev.latchkey.engine.framework.Fields;
import dev.latchkey.engine.framework.Operation;
import dev.latchkey.engine.framework.PathSpec;
import dev.latchkey.engine.framework.Request;
import dev.latchkey.engine.framework.Response;
import dev.latchkey.engine.gocompat.GoFormat;
import dev.latchkey.engine.ssh.keys.SshKeyException;
import dev.latchkey.engine.ssh.keys.SshPublicKey;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code known_hosts/} (list) and {@code known_hosts/:address} (read, write, delete): the host keys
 * dynamic roles trust. Not in Vault, which never checked host keys. Deleting an entry is how an
 * operator accepts a re-keyed host; writing one pre-trusts a key before the first connection.
 */
public final class KnownHostsPath {
    private final KnownHostStore knownHosts;

    public KnownHostsPath(KnownHostStore knownHosts) {
        this.knownHosts = knownHosts;
    }

    public List<PathSpec> specs() {
        return List.of(
                PathSpec.path("known_hosts/?").on(Operation.LIST, this::list),
                PathSpec.path("known_hosts/(?<address>[^/]+)").capture("address", "address")
                        .field("key", FieldType.STRING)
                        .on(Operation.READ, this::read)
                        .on(Operation.UPDATE, this::write)
                        .on(Operation.DELETE, this::delete));
    }

    private Response list(Request request, Fields f) {
        return Response.of(Map.of("keys", knownHosts.addresses()));
    }

    private Response read(Request request, Fields f) {
        return knownHosts.get(address(f)).map(e -> {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("first_seen", Instant.ofEpochSecond(e.firstSeen()).toString());
            d.put("fingerprint", e.key().sha256Fingerprint());
            d.put("key", e.key().toLine());
            return Response.of(d);
        }).orElse(Response.empty());
    }

    private Response write(Request request, Fields f) {
        String address = address(f);
        SshPublicKey key;
        try {
            key = SshPublicKey.parse(f.string("key"));
        } catch (SshKeyException e) {
            throw EngineException.user("invalid key: " + e.getMessage());
        }
        knownHosts.put(address, key);
        return Response.empty();
    }

    private Response delete(Request request, Fields f) {
        knownHosts.delete(address(f));
        return Response.empty();
    }

    private static String address(Fields f) {
        String text = f.string("address");
        return HostAddress.parseNormal(text).orElseThrow(() -> EngineException.user("invalid host address "
                + GoFormat.q(text) + ": write it as <ip>:<port> (10.0.0.5:22) or [<ipv6>]:<port> ([2001:db8::5]:22), "
                + "the address in normal form"));
    }
}
